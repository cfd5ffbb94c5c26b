using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The comma-separated token lists of RFC 9110 section 5.6.1 (<c>Connection</c>, <c>Upgrade</c>): the one scan for every header
/// that holds one, on a string (an engine's header) or on raw bytes (the parser's). Tokens compare case-insensitively, with
/// the spaces and tabs around them ignored.
/// </summary>
public static class HeaderTokens
{
    /// <summary>True when <paramref name="value"/> lists <paramref name="token"/>; false for a missing header.</summary>
    public static bool Contains(string? value, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (value is null)
            return false;
        foreach (var range in value.AsSpan().Split(','))
        {
            if (value.AsSpan()[range].Trim(" \t").Equals(token, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>True when the raw header value <paramref name="value"/> lists the ASCII token <paramref name="token"/>.</summary>
    public static bool Contains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
                return true;
        }
        return false;
    }
}
