using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// A second, deliberately plain reading of the chunked grammar the host kit accepts (RFC 9112 section 7.1
/// with the decoder's own bounds): the whole body in one array, read front to back, no state machine.
/// The streaming decoder must agree with it on the payload, on the byte where the body ends (the next
/// request starts there: a disagreement is request smuggling), and on the reason for a refusal.
/// </summary>
internal static class ChunkedReference
{
    /// <summary>Hex digits past which a size is refused: far past any body accepted, and no overflow.</summary>
    private const int MaxSizeDigits = 15;

    /// <summary>Bytes after a chunk size's delimiter, its CR included.</summary>
    private const int MaxExtensionBytes = 4096;

    /// <summary>Bytes of trailer lines, CRLFs excluded, over the whole trailer section.</summary>
    private const int MaxTrailerBytes = 4 * 4096;

    /// <summary>What the body at <paramref name="start"/> of <paramref name="input"/> comes to, when the input ends where it does.</summary>
    public static ChunkedVerdict Decode(ReadOnlySpan<byte> input, int start, long maxBodyBytes)
    {
        var payload = new List<byte>();
        var i = start;
        long total = 0;
        while (true)
        {
            long size = 0;
            var digits = 0;
            while (i < input.Length && Hex(input[i]) is var digit and >= 0)
            {
                if (++digits > MaxSizeDigits)
                    return ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);
                size = size * 16 + digit;
                i++;
            }
            if (i == input.Length)
                return ChunkedVerdict.Incomplete;
            if (digits == 0)
                return ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);

            if (input[i] is (byte)';' or (byte)' ' or (byte)'\t')
            {
                i++;
                var extension = 0;
                while (true)
                {
                    if (i == input.Length)
                        return ChunkedVerdict.Incomplete;
                    if (++extension > MaxExtensionBytes || input[i] == '\n')
                        return ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);
                    if (input[i++] == '\r')
                        break;
                }
            }
            else if (input[i++] != '\r')
            {
                return ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);
            }
            if (LineFeed(input, ref i) is { } afterSize)
                return afterSize;

            total += size;
            if (total > maxBodyBytes)
                return ChunkedVerdict.Refused(RequestRejection.BodyTooLarge);
            if (size == 0)
                return Trailers(input, i, payload);

            if (input.Length - i < size)
                return ChunkedVerdict.Incomplete;
            payload.AddRange(input.Slice(i, (int)size));
            i += (int)size;
            if (i == input.Length)
                return ChunkedVerdict.Incomplete;
            if (input[i++] != '\r')
                return ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);
            if (LineFeed(input, ref i) is { } afterData)
                return afterData;
        }
    }

    /// <summary>Trailer lines (any bytes but a bare CR or LF) up to the empty line that ends the body.</summary>
    private static ChunkedVerdict Trailers(ReadOnlySpan<byte> input, int i, List<byte> payload)
    {
        var trailerBytes = 0;
        while (true)
        {
            if (i == input.Length)
                return ChunkedVerdict.Incomplete;
            if (input[i] == '\r')
            {
                i++;
                return LineFeed(input, ref i) ?? ChunkedVerdict.Complete([.. payload], i);
            }
            while (true)
            {
                if (i == input.Length)
                    return ChunkedVerdict.Incomplete;
                var b = input[i++];
                if (b == '\n' || (b != '\r' && ++trailerBytes > MaxTrailerBytes))
                    return ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);
                if (b == '\r')
                    break;
            }
            if (LineFeed(input, ref i) is { } afterTrailer)
                return afterTrailer;
        }
    }

    /// <summary>The LF of a CRLF whose CR was read: null when it is there, else the verdict.</summary>
    private static ChunkedVerdict? LineFeed(ReadOnlySpan<byte> input, ref int i)
    {
        if (i == input.Length)
            return ChunkedVerdict.Incomplete;
        return input[i++] == '\n' ? null : ChunkedVerdict.Refused(RequestRejection.InvalidChunkedBody);
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
