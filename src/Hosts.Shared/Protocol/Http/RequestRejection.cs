namespace HostKit.Hosts.Protocol;

/// <summary>
/// Why a host refused a request, one value per rule (after Kestrel's <c>RequestRejectionReason</c>), so
/// that refusals can be counted, logged and answered the same way on every host.
/// <see cref="RequestRejections"/> maps each to its status and the text the client gets.
/// </summary>
public enum RequestRejection
{
    /// <summary>The request line is longer than <see cref="HttpLimits.MaxRequestLineBytes"/> (414).</summary>
    RequestLineTooLong,

    /// <summary>The header block is larger than <see cref="HttpLimits.MaxRequestHeadersBytes"/> (431).</summary>
    HeadersTooLarge,

    /// <summary>More header fields than <see cref="HttpLimits.MaxRequestHeaderCount"/> (431).</summary>
    TooManyHeaders,

    /// <summary>The request line is not <c>METHOD SP TARGET SP VERSION</c> (400).</summary>
    MalformedRequestLine,

    /// <summary>The method is not a token (400).</summary>
    InvalidMethod,

    /// <summary>The target is not origin form, absolute form, or <c>*</c> for OPTIONS, or holds bytes a target may not (400).</summary>
    InvalidTarget,

    /// <summary>An HTTP version this server does not speak, such as 2.0 on a plain connection (505).</summary>
    UnsupportedVersion,

    /// <summary>The version is not <c>HTTP/d.d</c> (400).</summary>
    MalformedVersion,

    /// <summary>A line of the head does not end with CRLF (400).</summary>
    LineNotCrlf,

    /// <summary>A header continued on the next line (obs-fold), the classic way to hide a header (400).</summary>
    ObsoleteLineFolding,

    /// <summary>A header line without a colon (400).</summary>
    MalformedHeaderLine,

    /// <summary>A header name that is not a token, whitespace before the colon included (400).</summary>
    InvalidHeaderName,

    /// <summary>A control character in a header value (400).</summary>
    InvalidHeaderValue,

    /// <summary>A <c>Content-Length</c> that is not a decimal number (400).</summary>
    InvalidContentLength,

    /// <summary>Several <c>Content-Length</c> values that disagree (400).</summary>
    ConflictingContentLength,

    /// <summary><c>Transfer-Encoding</c> whose final coding is not <c>chunked</c>, or that repeats (400).</summary>
    InvalidTransferEncoding,

    /// <summary>A transfer coding other than <c>chunked</c> before it, such as <c>gzip, chunked</c> (501).</summary>
    UnsupportedTransferCoding,

    /// <summary>Both <c>Content-Length</c> and <c>Transfer-Encoding</c>: request smuggling's favourite shape (400).</summary>
    ContentLengthWithTransferEncoding,

    /// <summary><c>Transfer-Encoding</c> in an HTTP/1.0 request, which cannot use it (400).</summary>
    TransferEncodingInHttp10,

    /// <summary>An HTTP/1.1 request without a <c>Host</c> header, or with several (400).</summary>
    MissingOrMultipleHost,

    /// <summary>A <c>Host</c> that is not <c>host[:port]</c>: spaces, a path, userinfo, a bad port, two values (400).</summary>
    InvalidHost,

    /// <summary>The request body is larger than <see cref="HttpLimits.MaxRequestBodyBytes"/> (413).</summary>
    BodyTooLarge,

    /// <summary>The client took longer than <see cref="HttpLimits.RequestHeadersTimeout"/> to send its head (408).</summary>
    HeadersTimeout,

    /// <summary>The connection closed in the middle of a request head (400).</summary>
    IncompleteHead,

    /// <summary>The chunked framing of the request body is malformed (400).</summary>
    InvalidChunkedBody,

    /// <summary>The request body ended before its declared length or its last chunk (400).</summary>
    IncompleteBody,

    /// <summary>The client sent its body too slowly (408).</summary>
    BodyTimeout,

    /// <summary>A websocket handshake over HTTP/1.0, or with a method other than GET (400).</summary>
    WebSocketNeedsHttp11Get,

    /// <summary>A websocket version other than 13; answered with <c>Sec-WebSocket-Version: 13</c> (426).</summary>
    UnsupportedWebSocketVersion,

    /// <summary>A <c>Sec-WebSocket-Key</c> that is missing or not 16 bytes in base64 (400).</summary>
    InvalidWebSocketKey,

    /// <summary>The server is stopping: a new request or websocket upgrade is refused while those in flight finish (503).</summary>
    ServerStopping,

    /// <summary>More connections than <see cref="HttpLimits.MaxConcurrentConnections"/> (503, then close).</summary>
    TooManyConnections,

    /// <summary>
    /// A POST or PUT with neither <c>Content-Length</c> nor <c>Transfer-Encoding</c>, refused by an engine that insists on
    /// a length (HttpListener answers it 411 itself); the other hosts read it as an empty body, as RFC 9112 section 6.3 says.
    /// </summary>
    LengthRequired,
}
