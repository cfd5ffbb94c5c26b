namespace HostKit.Hosts.Protocol;

/// <summary>The HTTP versions an HTTP/1.x server speaks.</summary>
public enum HttpVersion
{
    /// <summary>HTTP/1.0: close after each response unless the client asks to keep alive; no chunking.</summary>
    Http10,

    /// <summary>HTTP/1.1: keep-alive by default, chunked bodies, <c>Host</c> required.</summary>
    Http11,
}
