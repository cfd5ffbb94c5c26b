using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// Each <see cref="RequestRejection"/>'s status and the text its response carries, defined once:
/// a client refused for the same reason reads the same answer on every host.
/// </summary>
public static class RequestRejections
{
    private static readonly byte[][] Bodies = BuildBodies();

    /// <summary>The status to answer <paramref name="reason"/> with.</summary>
    public static int Status(RequestRejection reason) => reason switch
    {
        RequestRejection.RequestLineTooLong => 414,
        RequestRejection.HeadersTooLarge or RequestRejection.TooManyHeaders => 431,
        RequestRejection.UnsupportedVersion => 505,
        RequestRejection.UnsupportedTransferCoding => 501,
        RequestRejection.BodyTooLarge => 413,
        RequestRejection.HeadersTimeout or RequestRejection.BodyTimeout => 408,
        RequestRejection.UnsupportedWebSocketVersion => 426,
        RequestRejection.ServerStopping or RequestRejection.TooManyConnections => 503,
        RequestRejection.LengthRequired => 411,
        _ => 400,
    };

    /// <summary>What went wrong, in words a client's developer can act on.</summary>
    public static string Text(RequestRejection reason) => reason switch
    {
        RequestRejection.RequestLineTooLong => "the request line is too long",
        RequestRejection.HeadersTooLarge => "the request headers are too large",
        RequestRejection.TooManyHeaders => "too many request headers",
        RequestRejection.MalformedRequestLine => "malformed request line",
        RequestRejection.InvalidMethod => "malformed method",
        RequestRejection.InvalidTarget => "malformed request target",
        RequestRejection.UnsupportedVersion => "HTTP version not supported",
        RequestRejection.MalformedVersion => "malformed HTTP version",
        RequestRejection.LineNotCrlf => "every line of a request head must end with CRLF",
        RequestRejection.ObsoleteLineFolding => "obsolete header line folding",
        RequestRejection.MalformedHeaderLine => "malformed header line",
        RequestRejection.InvalidHeaderName => "malformed header name",
        RequestRejection.InvalidHeaderValue => "control character in a header value",
        RequestRejection.InvalidContentLength => "malformed Content-Length",
        RequestRejection.ConflictingContentLength => "conflicting Content-Length headers",
        RequestRejection.InvalidTransferEncoding => "the final transfer coding must be chunked, given once",
        RequestRejection.UnsupportedTransferCoding => "transfer codings other than chunked are not supported",
        RequestRejection.ContentLengthWithTransferEncoding => "both Content-Length and Transfer-Encoding",
        RequestRejection.TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 request",
        RequestRejection.MissingOrMultipleHost => "an HTTP/1.1 request needs exactly one Host header",
        RequestRejection.InvalidHost => "malformed Host header",
        RequestRejection.BodyTooLarge => "the request body is too large",
        RequestRejection.HeadersTimeout => "request headers not received in time",
        RequestRejection.IncompleteHead => "the connection closed in the middle of a request head",
        RequestRejection.InvalidChunkedBody => "malformed chunked request body",
        RequestRejection.IncompleteBody => "the request body ended early",
        RequestRejection.BodyTimeout => "request body not received in time",
        RequestRejection.WebSocketNeedsHttp11Get => "a websocket handshake is an HTTP/1.1 GET",
        RequestRejection.UnsupportedWebSocketVersion => "unsupported websocket version; this server speaks version 13",
        RequestRejection.InvalidWebSocketKey => "Sec-WebSocket-Key must be 16 bytes in base64",
        RequestRejection.ServerStopping => "the server is shutting down; try again shortly",
        RequestRejection.TooManyConnections => "too many connections; try again shortly",
        RequestRejection.LengthRequired => "a POST or PUT needs a Content-Length or a chunked body",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The headers the answer carries besides <c>Content-Type</c>: <c>Sec-WebSocket-Version: 13</c> for a wrong websocket version.</summary>
    public static IReadOnlyList<(string Name, string Value)> ExtraHeaders(RequestRejection reason) =>
        reason == RequestRejection.UnsupportedWebSocketVersion ? [("Sec-WebSocket-Version", "13")] : [];

    /// <summary>The answer's body, <c>"400 Bad Request: malformed request line\n"</c>: made once per reason, shared.</summary>
    public static ReadOnlyMemory<byte> Body(RequestRejection reason) => Bodies[(int)reason];

    /// <summary>The content type of <see cref="Body"/>.</summary>
    public const string ContentType = "text/plain; charset=utf-8";

    /// <summary>
    /// The head of the answer to <paramref name="reason"/>: its <see cref="Status"/>, <c>Content-Type</c> and <see cref="ExtraHeaders"/>.
    /// With <see cref="Plan"/> and <see cref="Body"/> it is the whole answer, written as any response is (<see cref="ResponseHeadWriter.Write"/>,
    /// or an engine's own response object), so a refusal is framed like every other response on every host.
    /// </summary>
    public static ResponseHead Head(RequestRejection reason)
    {
        var head = new ResponseHead();
        head.Start(Status(reason), [("Content-Type", ContentType), .. ExtraHeaders(reason)]);
        return head;
    }

    /// <summary>The plan of the answer to <paramref name="reason"/>: <see cref="Body"/> sent whole with its length, then the connection closes.</summary>
    public static ResponsePlan Plan(RequestRejection reason) => new()
    {
        Framing = BodyFraming.ContentLength,
        ContentLength = Body(reason).Length,
        SendsBody = true,
        Connection = ConnectionHeader.Close,
    };

    private static byte[][] BuildBodies()
    {
        var reasons = Enum.GetValues<RequestRejection>();
        var bodies = new byte[reasons.Length][];
        foreach (var reason in reasons)
        {
            var status = Status(reason);
            bodies[(int)reason] = Encoding.UTF8.GetBytes($"{status} {StatusReasons.Phrase(status)}: {Text(reason)}\n");
        }
        return bodies;
    }
}
