namespace HostKit.Hosts.Protocol;

/// <summary>
/// The syntax of a <c>Host</c> header or an absolute target's authority: <c>uri-host [ ":" port ]</c>
/// (RFC 9110 section 7.2, RFC 3986 section 3.2.2). Refusing the rest (spaces, a path, userinfo, a
/// port that is not a number, two values) keeps a proxy and this server from disagreeing on the host.
/// </summary>
internal static class HostValue
{
    /// <summary>True when <paramref name="value"/> is empty or <c>host[:port]</c>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
            return true; // RFC 9110 7.2: an empty Host is allowed when the target has no authority
        ReadOnlySpan<byte> host;
        ReadOnlySpan<byte> port;
        if (value[0] == '[')
        {
            var close = value.IndexOf((byte)']');
            if (close < 0 || !IsIpLiteral(value[1..close]))
                return false;
            host = value[..(close + 1)];
            var after = value[(close + 1)..];
            if (!after.IsEmpty && after[0] != ':')
                return false;
            port = after.IsEmpty ? default : after[1..];
            if (!after.IsEmpty && port.IsEmpty)
                return false;
        }
        else
        {
            var colon = value.LastIndexOf((byte)':');
            host = colon < 0 ? value : value[..colon];
            port = colon < 0 ? default : value[(colon + 1)..];
            if (host.IsEmpty || host.IndexOfAnyExcept(RegNameChars) >= 0 || (colon >= 0 && port.IsEmpty))
                return false;
        }
        return port.Length <= 5 && port.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    // unreserved / pct-encoded / sub-delims, less ',' (two Host values joined) — RFC 3986 reg-name.
    private static readonly System.Buffers.SearchValues<byte> RegNameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%!$&'()*+;="u8);

    private static readonly System.Buffers.SearchValues<byte> IpLiteralChars =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.vV-_~!$&'()*+,;=%"u8);

    private static bool IsIpLiteral(ReadOnlySpan<byte> literal) => !literal.IsEmpty && literal.IndexOfAnyExcept(IpLiteralChars) < 0;
}
