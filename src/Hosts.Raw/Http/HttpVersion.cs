namespace HostKit.Hosts.Raw.Http;

/// <summary>The HTTP versions this server speaks.</summary>
internal enum HttpVersion
{
    Http10,
    Http11,
}
