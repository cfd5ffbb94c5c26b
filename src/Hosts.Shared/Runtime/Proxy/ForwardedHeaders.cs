using System.Globalization;
using System.Net;
using System.Text;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// Reads the proxy headers of a request from a trusted peer: RFC 7239 <c>Forwarded</c>, or, when there is none, the
/// de facto <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c>. Each proxy appends the
/// address it received the request from, so the chain is read from the right: hops that are trusted proxies
/// are skipped, and the first one that is not is the client (anything to its left is what that client claimed, and
/// is not believed). When every hop is trusted, the leftmost is the client.
/// </summary>
/// <remarks>
/// The scheme and host come from the same hop as the client: RFC 7239 puts them in the same element, and the
/// <c>X-Forwarded-Proto</c>/<c>-Host</c> lists are lined up with <c>X-Forwarded-For</c> from the right (a shorter
/// list, usually the one value the last proxy set, gives its leftmost value). A header that is malformed, or names
/// a scheme other than http or https or a host that is no <c>host[:port]</c>, is ignored as a whole: the request
/// is then taken as it came, never half-rewritten.
/// </remarks>
internal static class ForwardedHeaders
{
    /// <summary>
    /// What the headers say, or null when the request is to be taken as it came: <paramref name="peer"/> is not trusted,
    /// there are no proxy headers, or they are malformed.
    /// </summary>
    /// <param name="trusted">The trusted proxies.</param>
    /// <param name="peer">The address the connection came from (<c>REMOTE_ADDR</c> before forwarding).</param>
    /// <param name="forwarded">The <c>Forwarded</c> header (several joined with <c>", "</c>), or null.</param>
    /// <param name="forwardedFor">The <c>X-Forwarded-For</c> header, or null.</param>
    /// <param name="forwardedProto">The <c>X-Forwarded-Proto</c> header, or null.</param>
    /// <param name="forwardedHost">The <c>X-Forwarded-Host</c> header, or null.</param>
    public static ForwardedRequest? Resolve(TrustedProxies trusted, string peer, string? forwarded, string? forwardedFor, string? forwardedProto, string? forwardedHost)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (forwarded is null && forwardedFor is null && forwardedProto is null && forwardedHost is null)
            return null;
        if (!trusted.Contains(peer))
            return null;
        var hops = forwarded is not null ? ParseForwarded(forwarded) : ParseXForwarded(forwardedFor, forwardedProto, forwardedHost);
        if (hops is null || hops.Count == 0)
            return null;
        var client = hops[^1];
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            client = hops[i];
            if (client.For is null || !IPAddress.TryParse(client.For, out var address) || !trusted.Contains(address))
                break;
        }
        // No "for" (RFC 7239 lets a proxy leave it out; X-Forwarded-Proto alone): the address stays the peer's.
        return new ForwardedRequest(client.For, client.Port, client.Proto, client.Host);
    }

    /// <summary>One proxy's report: who it got the request from, on which port, over which scheme, for which host.</summary>
    private readonly record struct Hop(string? For, int Port, string? Proto, string? Host);

    private static List<Hop>? ParseXForwarded(string? forwardedFor, string? forwardedProto, string? forwardedHost)
    {
        var addresses = Split(forwardedFor);
        var protos = Split(forwardedProto);
        var hosts = Split(forwardedHost);
        var hops = new List<Hop>();
        if (addresses.Length == 0)
        {
            // Only the scheme or host: the proxy's peer is the client.
            var proto = Scheme(Last(protos));
            var host = Host(Last(hosts));
            return (protos.Length > 0 && proto is null) || (hosts.Length > 0 && host is null) ? null : [new Hop(null, 0, proto, host)];
        }
        for (var i = 0; i < addresses.Length; i++)
        {
            var fromRight = addresses.Length - 1 - i;
            if (Node(addresses[i]) is not { } node)
                return null;
            var proto = AlignedFromRight(protos, fromRight);
            var host = AlignedFromRight(hosts, fromRight);
            if ((proto is not null && Scheme(proto) is null) || (host is not null && Host(host) is null))
                return null;
            hops.Add(new Hop(node.Address, node.Port, Scheme(proto), Host(host)));
        }
        return hops;
    }

    private static List<Hop>? ParseForwarded(string header)
    {
        var hops = new List<Hop>();
        var position = 0;
        while (true)
        {
            string? forNode = null, proto = null, host = null;
            var port = 0;
            while (true)
            {
                SkipSpaces(header, ref position);
                if (ReadToken(header, ref position) is not { Length: > 0 } name || !Expect(header, ref position, '='))
                    return null;
                if (ReadValue(header, ref position) is not { } value)
                    return null;
                switch (name.ToLowerInvariant())
                {
                    case "for":
                        if (Node(value) is not { } node)
                            return null;
                        (forNode, port) = (node.Address, node.Port);
                        break;
                    case "proto":
                        if ((proto = Scheme(value)) is null)
                            return null;
                        break;
                    case "host":
                        if ((host = Host(value)) is null)
                            return null;
                        break;
                }
                SkipSpaces(header, ref position);
                if (position < header.Length && header[position] == ';')
                {
                    position++;
                    continue;
                }
                break;
            }
            hops.Add(new Hop(forNode, port, proto, host));
            if (position == header.Length)
                return hops;
            if (header[position] != ',')
                return null;
            position++;
        }
    }

    /// <summary>An RFC 7239 node (<c>1.2.3.4</c>, <c>1.2.3.4:80</c>, <c>[::1]:80</c>, <c>unknown</c>, <c>_hidden</c>), or an X-Forwarded-For entry (also a bare IPv6 address).</summary>
    private static (string Address, int Port)? Node(string text)
    {
        string address;
        var portText = string.Empty;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                return null;
            address = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length > 0 && (after[0] != ':' || (portText = after[1..]).Length == 0))
                return null;
            if (!IPAddress.TryParse(address, out _))
                return null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            (address, portText) = (text[..colon], text[(colon + 1)..]);
        }
        else
        {
            address = text;
        }
        var port = 0;
        // RFC 7239 6.3: an obfuscated port ("_abc") is allowed; it tells nothing usable, so the port stays 0.
        if (portText.Length > 0 && !portText.StartsWith('_') &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
            return null;
        if (IPAddress.TryParse(address, out var ip))
            return (RemoteAddress.Text(ip), port);
        // "unknown" or an obfuscated identifier (RFC 7239 6.3): kept as the client's name, nothing else is.
        return address == "unknown" || (address.StartsWith('_') && address.Length > 1 && address.All(IsObfuscatedChar)) ? (address, port) : null;
    }

    private static bool IsObfuscatedChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static string? Scheme(string? value) => value?.ToLowerInvariant() switch
    {
        "http" => "http",
        "https" => "https",
        _ => null,
    };

    private static string? Host(string? value)
    {
        if (value is not { Length: > 0 and <= 255 } || !Ascii.IsValid(value))
            return null;
        Span<byte> bytes = stackalloc byte[value.Length];
        Encoding.ASCII.GetBytes(value, bytes);
        return HostValue.IsValid(bytes) ? value : null;
    }

    private static string[] Split(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.TrimEntries);

    private static string? Last(string[] values) => values.Length == 0 ? null : values[^1];

    private static string? AlignedFromRight(string[] values, int fromRight) =>
        values.Length == 0 ? null : values[Math.Max(0, values.Length - 1 - fromRight)];

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
            position++;
    }

    private static bool Expect(string text, ref int position, char c)
    {
        if (position >= text.Length || text[position] != c)
            return false;
        position++;
        return true;
    }

    private static string ReadToken(string text, ref int position, bool lenient = false)
    {
        var start = position;
        while (position < text.Length && (IsTokenChar(text[position]) || (lenient && text[position] is ':' or '[' or ']')))
            position++;
        return text[start..position];
    }

    /// <summary>A token or an RFC 9110 quoted-string (backslash escapes undone); null when malformed.</summary>
    private static string? ReadValue(string text, ref int position)
    {
        if (position >= text.Length || text[position] != '"')
            // RFC 7239 wants a port or an IPv6 address quoted; proxies configured by hand often leave the quotes out
            // (for=$remote_addr:$remote_port), and ':', '[' and ']' cannot be confused with the delimiters, so they are taken.
            return ReadToken(text, ref position, lenient: true) is { Length: > 0 } token ? token : null;
        var value = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
                return value.ToString();
            if (c == '\\')
            {
                if (position == text.Length)
                    return null;
                c = text[position++];
            }
            if (char.IsControl(c) && c != '\t')
                return null;
            value.Append(c);
        }
        return null;
    }

    // RFC 9110 tchar.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
