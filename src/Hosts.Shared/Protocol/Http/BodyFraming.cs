namespace HostKit.Hosts.Protocol;

/// <summary>How a response body is delimited on the wire (RFC 9112 section 6).</summary>
public enum BodyFraming
{
    /// <summary>No body follows the head: 1xx, 204, 304, and every response to HEAD.</summary>
    None,

    /// <summary><c>Content-Length: N</c>, then exactly N bytes.</summary>
    ContentLength,

    /// <summary><c>Transfer-Encoding: chunked</c>: an HTTP/1.1 body whose length is not known up front.</summary>
    Chunked,

    /// <summary>The body runs until the connection closes: an HTTP/1.0 body whose length is not known up front.</summary>
    CloseDelimited,
}
