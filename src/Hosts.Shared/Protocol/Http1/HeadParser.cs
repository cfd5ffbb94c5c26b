using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// Parses an HTTP/1.1 request head (RFC 9112 sections 2-6), sans-I/O and incrementally: it takes
/// each complete line as it arrives and never scans a byte twice, so a head that trickles in one
/// byte at a time costs O(n), and the size budgets carry across reads. Strict where leniency
/// enables request smuggling. One instance per connection, <see cref="Reset"/> between requests.
/// </summary>
internal sealed class HeadParser(HttpLimits limits)
{
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private bool _inHeaders;
    private int _lineScanned;
    private int _leadingBytes;
    private int _headerBytes;
    private FramingHeaders _framing;

    /// <summary>Every byte this parser has searched for a line end, over its whole life: the O(n) claim, measurable.</summary>
    public long BytesScanned { get; private set; }

    /// <summary>Starts on a new head.</summary>
    public void Reset()
    {
        _inHeaders = false;
        _lineScanned = _leadingBytes = _headerBytes = 0;
        _framing = default;
    }

    /// <summary>
    /// Takes the complete lines at the start of <paramref name="buffer"/> into <paramref name="head"/>.
    /// <paramref name="consumed"/> is where the next call must start (the lines taken are gone from the
    /// caller's buffer); <paramref name="examined"/> is how far this call looked, for <c>PipeReader.AdvanceTo</c>.
    /// </summary>
    public HeadStatus Parse(in ReadOnlySequence<byte> buffer, RequestHead head, out SequencePosition consumed, out SequencePosition examined, out RequestRejection rejection)
    {
        if (!_inHeaders && _lineScanned == 0 && _leadingBytes == 0)
            head.Begin();
        var status = buffer.IsSingleSegment
            ? ParseSpan(buffer.FirstSpan, head, out var taken, out rejection)
            : ParseSequence(buffer, head, out taken, out rejection);
        consumed = buffer.GetPosition(taken);
        examined = status == HeadStatus.NeedMore ? buffer.End : consumed;
        return status;
    }

    private HeadStatus ParseSpan(ReadOnlySpan<byte> input, RequestHead head, out int taken, out RequestRejection rejection)
    {
        taken = 0;
        while (true)
        {
            var rest = input[taken..];
            var found = rest[_lineScanned..].IndexOf((byte)'\n');
            if (found < 0)
                return NeedMore(rest.Length, out rejection);
            var length = _lineScanned + found;
            BytesScanned += found + 1;
            _lineScanned = 0;
            var result = TakeLine(rest[..length], head, out rejection);
            taken += length + 1;
            if (result != HeadStatus.NeedMore)
                return result;
        }
    }

    private HeadStatus ParseSequence(in ReadOnlySequence<byte> buffer, RequestHead head, out int taken, out RequestRejection rejection)
    {
        taken = 0;
        while (true)
        {
            var rest = buffer.Slice(taken);
            var found = rest.Slice(_lineScanned).PositionOf((byte)'\n');
            if (found is not { } lineFeed)
                return NeedMore((int)Math.Min(rest.Length, int.MaxValue), out rejection);
            var length = (int)rest.Slice(0, lineFeed).Length;
            BytesScanned += length - _lineScanned + 1;
            _lineScanned = 0;
            var line = rest.Slice(0, length);
            HeadStatus result;
            if (line.IsSingleSegment)
            {
                result = TakeLine(line.FirstSpan, head, out rejection);
            }
            else
            {
                // A line split across pipe segments: rare, and bounded by the limits checked below.
                var copy = ArrayPool<byte>.Shared.Rent(length);
                line.CopyTo(copy);
                result = TakeLine(copy.AsSpan(0, length), head, out rejection);
                ArrayPool<byte>.Shared.Return(copy);
            }
            taken += length + 1;
            if (result != HeadStatus.NeedMore)
                return result;
        }
    }

    /// <summary>No line end yet in <paramref name="pending"/> bytes: remember they were searched, and refuse a line already over its budget.</summary>
    private HeadStatus NeedMore(int pending, out RequestRejection rejection)
    {
        BytesScanned += pending - _lineScanned;
        _lineScanned = pending;
        rejection = default;
        // Without its LF yet, a line may be as long as the limit plus its CR.
        if (!_inHeaders && pending > limits.MaxRequestLineBytes + 1)
            return Reject(RequestRejection.RequestLineTooLong, out rejection);
        if (_inHeaders && _headerBytes + pending > limits.MaxRequestHeadersBytes)
            return Reject(RequestRejection.HeadersTooLarge, out rejection);
        return HeadStatus.NeedMore;
    }

    /// <summary>One complete line, without its LF. <see cref="HeadStatus.NeedMore"/> means "taken, go on".</summary>
    private HeadStatus TakeLine(ReadOnlySpan<byte> line, RequestHead head, out RequestRejection rejection)
    {
        rejection = default;
        if (!_inHeaders)
        {
            if (line.Length > limits.MaxRequestLineBytes + 1)
                return Reject(RequestRejection.RequestLineTooLong, out rejection);
            if (line.Length == 0 || line[^1] != '\r')
                return Reject(RequestRejection.LineNotCrlf, out rejection);
            if (line.Length == 1)
            {
                // RFC 9112 2.2: ignore empty lines before a request line (a client's stray CRLF after a body).
                _leadingBytes += 2;
                return _leadingBytes > limits.MaxRequestLineBytes ? Reject(RequestRejection.MalformedRequestLine, out rejection) : HeadStatus.NeedMore;
            }
            if (!ParseRequestLine(line[..^1], head, out rejection))
                return HeadStatus.Rejected;
            _inHeaders = true;
            return HeadStatus.NeedMore;
        }

        _headerBytes += line.Length + 1;
        if (_headerBytes > limits.MaxRequestHeadersBytes)
            return Reject(RequestRejection.HeadersTooLarge, out rejection);
        if (line.Length == 0 || line[^1] != '\r')
            return Reject(RequestRejection.LineNotCrlf, out rejection);
        if (line.Length == 1)
            return _framing.Apply(head, limits, out rejection) ? HeadStatus.Complete : HeadStatus.Rejected;
        if (head.HeaderCount == limits.MaxRequestHeaderCount)
            return Reject(RequestRejection.TooManyHeaders, out rejection);
        return ParseHeader(line[..^1], head, out rejection) ? HeadStatus.NeedMore : HeadStatus.Rejected;
    }

    private static bool ParseRequestLine(ReadOnlySpan<byte> line, RequestHead head, out RequestRejection rejection)
    {
        rejection = default;
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
            return Fail(RequestRejection.MalformedRequestLine, out rejection);
        var method = line[..firstSpace];
        if (method.IndexOfAnyExcept(TokenChars) >= 0)
            return Fail(RequestRejection.InvalidMethod, out rejection);

        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
            return Fail(RequestRejection.MalformedRequestLine, out rejection);
        var target = rest[..secondSpace];
        var versionText = rest[(secondSpace + 1)..];

        // Targets are visible ASCII: no controls, spaces or raw UTF-8 (RFC 9112 section 3.2).
        if (target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0 || !IsServableForm(target, method))
            return Fail(RequestRejection.InvalidTarget, out rejection);

        HttpVersion version;
        if (versionText.SequenceEqual("HTTP/1.1"u8))
            version = HttpVersion.Http11;
        else if (versionText.SequenceEqual("HTTP/1.0"u8))
            version = HttpVersion.Http10;
        else if (versionText.Length == 8 && versionText.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)versionText[5]) && versionText[6] == '.' && char.IsAsciiDigit((char)versionText[7]))
            return Fail(RequestRejection.UnsupportedVersion, out rejection);
        else
            return Fail(RequestRejection.MalformedVersion, out rejection);

        head.SetRequestLine(KnownMethod(method), target, version);
        return true;
    }

    /// <summary>Origin form (<c>/path?query</c>), absolute form with an authority (<c>http://host/path</c>), or <c>*</c> for OPTIONS.</summary>
    private static bool IsServableForm(ReadOnlySpan<byte> target, ReadOnlySpan<byte> method)
    {
        if (target[0] == '/')
            return true;
        if (target.SequenceEqual("*"u8))
            return method.SequenceEqual("OPTIONS"u8);
        var afterScheme = target.StartsWith("http://"u8) ? target[7..] : target.StartsWith("https://"u8) ? target[8..] : default;
        if (afterScheme.IsEmpty)
            return false;
        var authorityEnd = afterScheme.IndexOfAny((byte)'/', (byte)'?');
        return authorityEnd != 0 && HostValue.IsValid(authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd]);
    }

    private bool ParseHeader(ReadOnlySpan<byte> line, RequestHead head, out RequestRejection rejection)
    {
        rejection = default;
        // obs-fold (a continuation line) is how smuggled headers hide: refuse it (RFC 9112 section 5.2).
        if (line[0] is (byte)' ' or (byte)'\t')
            return Fail(RequestRejection.ObsoleteLineFolding, out rejection);
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
            return Fail(RequestRejection.MalformedHeaderLine, out rejection);
        var name = line[..colon];
        // This also refuses whitespace between the name and the colon (RFC 9112 section 5.1).
        if (name.IsEmpty || name.IndexOfAnyExcept(TokenChars) >= 0)
            return Fail(RequestRejection.InvalidHeaderName, out rejection);

        var raw = line[(colon + 1)..];
        var leading = raw.Length - raw.TrimStart(" \t"u8).Length;
        var value = raw.Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' or 0x7F)
                return Fail(RequestRejection.InvalidHeaderValue, out rejection);
        }
        head.AddHeader(line, colon, colon + 1 + leading, value.Length);
        return _framing.Observe(name, value, out rejection);
    }

    private static string KnownMethod(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ when method.SequenceEqual("PATCH"u8) => "PATCH",
        _ => System.Text.Encoding.ASCII.GetString(method),
    };

    private static HeadStatus Reject(RequestRejection reason, out RequestRejection rejection)
    {
        rejection = reason;
        return HeadStatus.Rejected;
    }

    private static bool Fail(RequestRejection reason, out RequestRejection rejection)
    {
        rejection = reason;
        return false;
    }

    /// <summary>The headers that decide how the message is framed and whether the connection lives on.</summary>
    private struct FramingHeaders
    {
        private long? _contentLength;
        private bool _chunked;
        private bool _transferEncoding;
        private int _hosts;
        private bool _invalidHost;
        private bool _close;
        private bool _keepAlive;
        private bool _connectionUpgrade;
        private bool _upgradeWebSocket;
        private bool _expectContinue;

        public bool Observe(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out RequestRejection rejection)
        {
            rejection = default;
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (RequestFraming.ParseContentLength(value, out var length) is { } invalid)
                    return Fail(invalid, out rejection);
                if (_contentLength is { } previous && previous != length)
                    return Fail(RequestRejection.ConflictingContentLength, out rejection);
                _contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                if (_transferEncoding)
                    return Fail(RequestRejection.InvalidTransferEncoding, out rejection);
                _transferEncoding = true;
                if (RequestFraming.CheckTransferEncoding(value) is { } invalid)
                    return Fail(invalid, out rejection);
                _chunked = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                _hosts++;
                _invalidHost |= !HostValue.IsValid(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                _close |= HeaderTokens.Contains(value, "close"u8);
                _keepAlive |= HeaderTokens.Contains(value, "keep-alive"u8);
                _connectionUpgrade |= HeaderTokens.Contains(value, "upgrade"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
            {
                _upgradeWebSocket |= HeaderTokens.Contains(value, "websocket"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
            {
                _expectContinue |= Ascii.EqualsIgnoreCase(value, "100-continue"u8);
            }
            return true;
        }

        public readonly bool Apply(RequestHead head, HttpLimits limits, out RequestRejection rejection)
        {
            rejection = default;
            // Both framings at once is the classic smuggling vector (RFC 9112 section 6.3): refuse.
            if (_transferEncoding && _contentLength is not null)
                return Fail(RequestRejection.ContentLengthWithTransferEncoding, out rejection);
            if (_transferEncoding && head.Version == HttpVersion.Http10)
                return Fail(RequestRejection.TransferEncodingInHttp10, out rejection);
            if (_hosts > 1 || (_hosts == 0 && head.Version == HttpVersion.Http11))
                return Fail(RequestRejection.MissingOrMultipleHost, out rejection);
            if (_invalidHost)
                return Fail(RequestRejection.InvalidHost, out rejection);
            if (_contentLength > limits.MaxRequestBodyBytes)
                return Fail(RequestRejection.BodyTooLarge, out rejection);

            head.ContentLength = _contentLength;
            head.IsChunked = _chunked;
            head.KeepAlive = ClientKeepAlive.Wanted(head.Version == HttpVersion.Http11, _close, _keepAlive);
            head.ExpectContinue = _expectContinue && head.Version == HttpVersion.Http11;
            // Anything else that mentions websocket is an ordinary request, for the application to answer (426).
            head.WantsWebSocket = _upgradeWebSocket && _connectionUpgrade && head.Method == "GET" && head.Version == HttpVersion.Http11;
            return true;
        }
    }
}
