namespace HostKit.Hosts.Protocol;

/// <summary>The <c>Connection</c> header a response carries.</summary>
public enum ConnectionHeader
{
    /// <summary>None: HTTP/1.1 keeps the connection by default.</summary>
    None,

    /// <summary><c>Connection: close</c>: the server closes after this response.</summary>
    Close,

    /// <summary><c>Connection: keep-alive</c>: an HTTP/1.0 client asked to keep the connection, and it is kept.</summary>
    KeepAlive,
}
