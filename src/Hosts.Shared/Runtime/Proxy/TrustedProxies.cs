using System.Net;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The peers whose proxy headers are believed (<c>--forwarded-allow-ips</c>, uvicorn's and gunicorn's name): addresses
/// and CIDR ranges, <c>unix</c> for every peer on a unix domain socket, or <c>*</c> for every peer. A request from any other
/// peer is taken as it came, whatever <c>X-Forwarded-For</c> or <c>Forwarded</c> it carries, so a client cannot claim another address.
/// </summary>
/// <remarks>
/// A peer on a unix socket has no address (<see cref="UnixSocketPeer.RemoteAddress"/>), so no address or range names it: it is
/// trusted with <c>unix</c> (or <c>*</c>, uvicorn's way), and never by default. Who can connect to the socket at all is
/// decided by its file's and directory's permissions (<see cref="UnixSocketFile.Mode"/>).
/// </remarks>
public sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;
    private readonly bool _any;
    private readonly bool _unixSockets;

    private TrustedProxies(IPNetwork[] networks, bool any, string text, bool unixSockets = false)
    {
        _networks = networks;
        _any = any;
        _unixSockets = unixSockets;
        Text = text;
    }

    /// <summary>The entry that trusts every peer on a unix domain socket (<see cref="UnixSocketPeer"/>).</summary>
    public const string UnixSockets = "unix";

    /// <summary>Loopback IPv4 only, uvicorn's default: a proxy on the same machine (the documented nginx in front).</summary>
    public static TrustedProxies Default { get; } = Parse("127.0.0.1");

    /// <summary>Nobody: proxy headers are never read.</summary>
    public static TrustedProxies None { get; } = new([], any: false, string.Empty);

    /// <summary>The list as configured, one space after each comma (<c>127.0.0.1, 10.0.0.0/8</c>).</summary>
    public string Text { get; }

    /// <summary>True when no peer is trusted: the host skips proxy headers altogether.</summary>
    public bool IsEmpty => !_any && !_unixSockets && _networks.Length == 0;

    /// <summary>
    /// Reads a comma-separated list of addresses (<c>127.0.0.1</c>, <c>::1</c>), CIDR ranges (<c>10.0.0.0/8</c>,
    /// <c>fd00::/8</c>), <c>unix</c> (every peer on a unix socket) and <c>*</c> (every peer); empty trusts nobody.
    /// </summary>
    /// <exception cref="FormatException">An entry is none of these; the message names it.</exception>
    public static TrustedProxies Parse(string? text)
    {
        var networks = new List<IPNetwork>();
        var any = false;
        var unixSockets = false;
        var entries = (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var entry in entries)
        {
            if (entry == "*")
                any = true;
            else if (string.Equals(entry, UnixSockets, StringComparison.OrdinalIgnoreCase))
                unixSockets = true;
            else if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
                networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address))
                networks.Add(new IPNetwork(Normalize(address), address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else
                throw new FormatException($"'{entry}' in the trusted proxies is not an IP address, a CIDR range (10.0.0.0/8), 'unix' or '*'.");
        }
        return networks.Count == 0 && !any && !unixSockets ? None : new([.. networks], any, string.Join(", ", entries), unixSockets);
    }

    /// <summary>True when <paramref name="peer"/> (an address as text, as in <c>REMOTE_ADDR</c>; empty for a unix socket's) is trusted.</summary>
    public bool Contains(string? peer)
    {
        if (_any)
            return true;
        if (peer == UnixSocketPeer.RemoteAddress)
            return _unixSockets;
        if (_networks.Length == 0 || !IPAddress.TryParse(peer, out var address))
            return false;
        return Contains(address);
    }

    /// <summary>True when <paramref name="address"/> is trusted; an IPv4-mapped IPv6 address counts as the IPv4 one.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_any)
            return true;
        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
                return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
