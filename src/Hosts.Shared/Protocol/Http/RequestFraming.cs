using System.Buffers.Text;
using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The request framing rules of RFC 9112 section 6, once: a <c>Content-Length</c> is digits only and every copy agrees;
/// <c>Transfer-Encoding</c> is given once and is exactly <c>chunked</c>; never both. The Raw host's head parser applies
/// them to bytes as it reads; a host whose engine has already parsed the head into strings (and is more lenient: Kestrel
/// takes <c>chunked, chunked</c>, <c>gzip, chunked</c>, and both framings at once) applies them with <see cref="Check"/>
/// before the application runs, so every host refuses the same requests.
/// </summary>
public static class RequestFraming
{
    /// <summary>Parses one <c>Content-Length</c> field value: decimal digits only, no sign, no list, no spaces.</summary>
    /// <returns>Null with the length, or the rule it breaks.</returns>
    public static RequestRejection? ParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || !Utf8Parser.TryParse(value, out length, out var used) || used != value.Length)
            return RequestRejection.InvalidContentLength;
        return null;
    }

    /// <summary>Checks one <c>Transfer-Encoding</c> field value: the final coding must be <c>chunked</c>, and nothing may come before it.</summary>
    /// <returns>Null when the value is <c>chunked</c>; the rule it breaks otherwise (a 400, or 501 for a coding this server does not decode).</returns>
    public static RequestRejection? CheckTransferEncoding(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        var last = comma < 0 ? value.Trim(" \t"u8) : value[(comma + 1)..].Trim(" \t"u8);
        if (!Ascii.EqualsIgnoreCase(last, "chunked"u8))
            return RequestRejection.InvalidTransferEncoding;
        if (comma >= 0)
        {
            // chunked twice is a repeat, which RFC 9112 forbids (400); another coding before it is one we do not decode (501).
            var before = value[..comma].Trim(" \t"u8);
            var previous = before.LastIndexOf((byte)',');
            return Ascii.EqualsIgnoreCase(previous < 0 ? before : before[(previous + 1)..].Trim(" \t"u8), "chunked"u8)
                ? RequestRejection.InvalidTransferEncoding
                : RequestRejection.UnsupportedTransferCoding;
        }
        return null;
    }

    /// <summary>
    /// Every framing rule over the header fields as an engine hands them over, one string per field line.
    /// </summary>
    /// <param name="contentLength">Each <c>Content-Length</c> field line (none: empty).</param>
    /// <param name="transferEncoding">Each <c>Transfer-Encoding</c> field line (none: empty).</param>
    /// <returns>Null when the request is framed unambiguously; the rule it breaks otherwise.</returns>
    public static RequestRejection? Check(ReadOnlySpan<string?> contentLength, ReadOnlySpan<string?> transferEncoding)
    {
        long? agreed = null;
        foreach (var line in contentLength)
        {
            if (ParseContentLength(line, out var length) is { } bad)
                return bad;
            if (agreed is { } previous && previous != length)
                return RequestRejection.ConflictingContentLength;
            agreed = length;
        }
        if (transferEncoding.Length > 1)
            return RequestRejection.InvalidTransferEncoding;
        if (transferEncoding.Length == 1)
        {
            if (CheckTransferEncoding(transferEncoding[0]) is { } bad)
                return bad;
            if (agreed is not null)
                return RequestRejection.ContentLengthWithTransferEncoding;
        }
        return null;
    }

    /// <summary><see cref="ParseContentLength(ReadOnlySpan{byte}, out long)"/> on a value an engine has made a string.</summary>
    public static RequestRejection? ParseContentLength(string? value, out long length)
    {
        // 19 digits is the longest length a long holds.
        Span<byte> bytes = stackalloc byte[19];
        length = 0;
        if (value is null || !TryNarrow(value, bytes))
            return RequestRejection.InvalidContentLength;
        return ParseContentLength(bytes[..value.Length], out length);
    }

    /// <summary><see cref="CheckTransferEncoding(ReadOnlySpan{byte})"/> on a value an engine has made a string.</summary>
    public static RequestRejection? CheckTransferEncoding(string? value)
    {
        Span<byte> bytes = stackalloc byte[256]; // no coding list worth decoding is longer
        if (value is null || !TryNarrow(value, bytes))
            return RequestRejection.InvalidTransferEncoding;
        return CheckTransferEncoding(bytes[..value.Length]);
    }

    /// <summary>
    /// The bytes <paramref name="value"/> came as: header values are Latin-1 on the wire, so a character above it
    /// (which an encoder would map to a look-alike, a fullwidth digit to a digit) never came from a header line.
    /// </summary>
    private static bool TryNarrow(string value, Span<byte> bytes)
    {
        if (value.Length > bytes.Length)
            return false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] > 0xFF)
                return false;
            bytes[i] = (byte)value[i];
        }
        return true;
    }
}
