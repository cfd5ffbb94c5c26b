using System.Net;

namespace HostKit.Hosts.Protocol;

/// <summary>The text of a peer's address for <c>REMOTE_ADDR</c>, the same on every host.</summary>
public static class RemoteAddress
{
    /// <summary>
    /// <paramref name="address"/> as text, with an IPv4-mapped IPv6 address (<c>::ffff:127.0.0.1</c>, what a
    /// dual-mode socket reports) shown as the IPv4 address it is; empty when unknown.
    /// </summary>
    public static string Text(IPAddress? address) => address switch
    {
        null => string.Empty,
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        _ => address.ToString(),
    };
}
