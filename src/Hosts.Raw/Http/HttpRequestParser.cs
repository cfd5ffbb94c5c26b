using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace HostKit.Hosts.Raw.Http;

/// <summary>
/// Parses an HTTP/1.1 request head (request line and header fields, RFC 9112) from bytes.
/// Sans-I/O: no sockets, no awaits; bytes in, and out comes a complete head, "need more", or an
/// error with the status to answer. Strict where leniency enables request smuggling.
/// </summary>
internal static class HttpRequestParser
{
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Parses the head at the start of <paramref name="buffer"/>. On <see cref="ParseStatus.Complete"/>,
    /// <paramref name="consumed"/> is the head's length (the body, if any, follows it).
    /// </summary>
    public static ParseStatus TryParse(in ReadOnlySequence<byte> buffer, HttpLimits limits, RequestHead head, out int consumed, out HttpError error)
    {
        if (buffer.IsSingleSegment)
            return Parse(buffer.FirstSpan, limits, head, out consumed, out error);

        // Rare: the head spans pipe segments. Copy what a head may at most be into one buffer.
        var length = (int)Math.Min(buffer.Length, (long)limits.MaxRequestLineBytes + limits.MaxRequestHeadersBytes + 4);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return Parse(copy.AsSpan(0, length), limits, head, out consumed, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static ParseStatus Parse(ReadOnlySpan<byte> input, HttpLimits limits, RequestHead head, out int consumed, out HttpError error)
    {
        consumed = 0;
        error = default;
        head.Begin();

        var lineEnd = input.IndexOf((byte)'\n');
        // Without the LF yet, the buffer may hold a whole line of the limit and its CR.
        if (lineEnd < 0)
            return input.Length > limits.MaxRequestLineBytes + 1 ? Fail(new HttpError(414, "request line too long"), out error) : ParseStatus.NeedMore;
        if (lineEnd > limits.MaxRequestLineBytes + 1)
            return Fail(new HttpError(414, "request line too long"), out error);
        if (lineEnd == 0 || input[lineEnd - 1] != '\r')
            return Fail(HttpError.BadRequest("request line must end with CRLF"), out error);
        if (!ParseRequestLine(input[..(lineEnd - 1)], head, out error))
            return ParseStatus.Error;

        var framing = new FramingHeaders();
        var headerStart = lineEnd + 1;
        var position = headerStart;
        while (true)
        {
            var rest = input[position..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return input.Length - headerStart > limits.MaxRequestHeadersBytes
                    ? Fail(new HttpError(431, "request headers too large"), out error)
                    : ParseStatus.NeedMore;
            }
            if (position + newline + 1 - headerStart > limits.MaxRequestHeadersBytes)
                return Fail(new HttpError(431, "request headers too large"), out error);
            if (newline == 0 || rest[newline - 1] != '\r')
                return Fail(HttpError.BadRequest("header line must end with CRLF"), out error);
            if (newline == 1)
            {
                consumed = position + 2;
                break;
            }
            if (head.HeaderCount == limits.MaxRequestHeaderCount)
                return Fail(new HttpError(431, "too many request headers"), out error);
            if (!ParseHeader(rest[..(newline - 1)], position, head, ref framing, out error))
                return ParseStatus.Error;
            position += newline + 1;
        }

        if (!framing.Apply(head, limits, out error))
            return ParseStatus.Error;
        head.CopyBytes(input[..consumed]);
        return ParseStatus.Complete;
    }

    private static bool ParseRequestLine(ReadOnlySpan<byte> line, RequestHead head, out HttpError error)
    {
        error = default;
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
            return Fail(HttpError.BadRequest("malformed request line"), out error) == ParseStatus.Complete;
        var method = line[..firstSpace];
        if (method.IndexOfAnyExcept(TokenChars) >= 0)
            return Fail(HttpError.BadRequest("malformed method"), out error) == ParseStatus.Complete;

        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
            return Fail(HttpError.BadRequest("malformed request line"), out error) == ParseStatus.Complete;
        var target = rest[..secondSpace];
        var versionText = rest[(secondSpace + 1)..];

        // Targets are visible ASCII: no controls, spaces or raw UTF-8 (RFC 9112 section 3.2).
        foreach (var b in target)
        {
            if (b is <= 0x20 or >= 0x7F)
                return Fail(HttpError.BadRequest("malformed request target"), out error) == ParseStatus.Complete;
        }
        if (!TryOriginForm(target, method, out target))
            return Fail(HttpError.BadRequest("request target must be a path"), out error) == ParseStatus.Complete;

        HttpVersion version;
        if (versionText.SequenceEqual("HTTP/1.1"u8))
            version = HttpVersion.Http11;
        else if (versionText.SequenceEqual("HTTP/1.0"u8))
            version = HttpVersion.Http10;
        else if (versionText.Length == 8 && versionText.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)versionText[5]) && versionText[6] == '.' && char.IsAsciiDigit((char)versionText[7]))
            return Fail(new HttpError(505, "HTTP version not supported"), out error) == ParseStatus.Complete;
        else
            return Fail(HttpError.BadRequest("malformed HTTP version"), out error) == ParseStatus.Complete;

        head.SetRequestLine(KnownMethod(method), target, version);
        return true;
    }

    /// <summary>Origin form (<c>/path?query</c>) as is; absolute form reduced to its path; <c>*</c> for OPTIONS.</summary>
    private static bool TryOriginForm(ReadOnlySpan<byte> target, ReadOnlySpan<byte> method, out ReadOnlySpan<byte> originForm)
    {
        originForm = target;
        if (target[0] == '/')
            return true;
        if (target.SequenceEqual("*"u8))
            return method.SequenceEqual("OPTIONS"u8);
        if (target.StartsWith("http://"u8) || target.StartsWith("https://"u8))
        {
            var afterScheme = target[(target.IndexOf("//"u8) + 2)..];
            var slash = afterScheme.IndexOfAny((byte)'/', (byte)'?');
            originForm = slash < 0 ? "/"u8 : afterScheme[slash] == '/' ? afterScheme[slash..] : "/"u8;
            return slash < 0 || afterScheme[slash] == '/';
        }
        return false;
    }

    private static bool ParseHeader(ReadOnlySpan<byte> line, int lineStart, RequestHead head, ref FramingHeaders framing, out HttpError error)
    {
        error = default;
        // obs-fold (a continuation line) is how smuggled headers hide: refuse it (RFC 9112 section 5.2).
        if (line[0] is (byte)' ' or (byte)'\t')
            return Fail(HttpError.BadRequest("obsolete header line folding"), out error) == ParseStatus.Complete;
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
            return Fail(HttpError.BadRequest("malformed header line"), out error) == ParseStatus.Complete;
        var name = line[..colon];
        // This also refuses whitespace between the name and the colon (RFC 9112 section 5.1).
        if (name.IndexOfAnyExcept(TokenChars) >= 0)
            return Fail(HttpError.BadRequest("malformed header name"), out error) == ParseStatus.Complete;

        var valueStart = colon + 1;
        var value = line[valueStart..];
        var leading = value.Length - value.TrimStart(" \t"u8).Length;
        value = value.Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' or 0x7F)
                return Fail(HttpError.BadRequest("control character in header value"), out error) == ParseStatus.Complete;
        }
        head.AddHeader(lineStart, colon, lineStart + valueStart + leading, value.Length);
        return framing.Observe(name, value, out error);
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

    private static ParseStatus Fail(HttpError failure, out HttpError error)
    {
        error = failure;
        return ParseStatus.Error;
    }

    /// <summary>The headers that decide how the message is framed and whether the connection lives on.</summary>
    private struct FramingHeaders
    {
        private long? _contentLength;
        private bool _chunked;
        private bool _transferEncoding;
        private int _hosts;
        private bool _close;
        private bool _keepAlive;
        private bool _connectionUpgrade;
        private bool _upgradeWebSocket;
        private bool _expectContinue;

        public bool Observe(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out HttpError error)
        {
            error = default;
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || !Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length)
                    return Fail(HttpError.BadRequest("malformed Content-Length"), out error) == ParseStatus.Complete;
                if (_contentLength is { } previous && previous != length)
                    return Fail(HttpError.BadRequest("conflicting Content-Length headers"), out error) == ParseStatus.Complete;
                _contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                if (_transferEncoding)
                    return Fail(HttpError.BadRequest("repeated Transfer-Encoding"), out error) == ParseStatus.Complete;
                _transferEncoding = true;
                var last = LastToken(value);
                if (!Ascii.EqualsIgnoreCase(last, "chunked"u8))
                    return Fail(HttpError.BadRequest("the final transfer coding must be chunked"), out error) == ParseStatus.Complete;
                if (last.Length != value.Length)
                    return Fail(new HttpError(501, "transfer codings other than chunked are not supported"), out error) == ParseStatus.Complete;
                _chunked = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                _hosts++;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                foreach (var range in value.Split((byte)','))
                {
                    var token = value[range].Trim(" \t"u8);
                    _close |= Ascii.EqualsIgnoreCase(token, "close"u8);
                    _keepAlive |= Ascii.EqualsIgnoreCase(token, "keep-alive"u8);
                    _connectionUpgrade |= Ascii.EqualsIgnoreCase(token, "upgrade"u8);
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
            {
                foreach (var range in value.Split((byte)','))
                    _upgradeWebSocket |= Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), "websocket"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
            {
                _expectContinue |= Ascii.EqualsIgnoreCase(value, "100-continue"u8);
            }
            return true;
        }

        public readonly bool Apply(RequestHead head, HttpLimits limits, out HttpError error)
        {
            error = default;
            // Both framings at once is the classic smuggling vector (RFC 9112 section 6.3): refuse.
            if (_transferEncoding && _contentLength is not null)
                return Fail(HttpError.BadRequest("both Content-Length and Transfer-Encoding"), out error) == ParseStatus.Complete;
            if (_transferEncoding && head.Version == HttpVersion.Http10)
                return Fail(HttpError.BadRequest("Transfer-Encoding in an HTTP/1.0 request"), out error) == ParseStatus.Complete;
            if (_hosts > 1 || (_hosts == 0 && head.Version == HttpVersion.Http11))
                return Fail(HttpError.BadRequest("an HTTP/1.1 request needs exactly one Host header"), out error) == ParseStatus.Complete;
            if (_contentLength > limits.MaxRequestBodyBytes)
                return Fail(new HttpError(413, "request body too large"), out error) == ParseStatus.Complete;

            head.ContentLength = _contentLength;
            head.IsChunked = _chunked;
            head.KeepAlive = head.Version == HttpVersion.Http11 ? !_close : _keepAlive && !_close;
            head.ExpectContinue = _expectContinue && head.Version == HttpVersion.Http11;
            head.WantsWebSocket = _upgradeWebSocket && _connectionUpgrade && head.Method == "GET";
            return true;
        }

        private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> value)
        {
            var comma = value.LastIndexOf((byte)',');
            return comma < 0 ? value : value[(comma + 1)..].Trim(" \t"u8);
        }
    }
}
