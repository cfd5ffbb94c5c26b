namespace HostKit.Hosts.Raw.Http;

/// <summary>How a response body is delimited on the wire.</summary>
internal enum ResponseFraming
{
    /// <summary><c>Content-Length: N</c>.</summary>
    ContentLength,

    /// <summary><c>Transfer-Encoding: chunked</c> (HTTP/1.1, length unknown).</summary>
    Chunked,

    /// <summary>The body runs until the connection closes (HTTP/1.0, length unknown).</summary>
    CloseDelimited,
}
