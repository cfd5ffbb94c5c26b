namespace HostKit.Hosts.Protocol;

/// <summary>
/// What goes on the wire for one response, decided once for every host from the request, the
/// status and headers the application gave, and its <see cref="Body"/>: the framing, whether body
/// bytes may be sent at all, the framing headers, whether the connection stays open, and the exact
/// length a stream body must yield. Hosts only carry it out, so every engine frames the same
/// response the same way. After h11's <c>_body_framing</c> and <c>_clean_up_response_headers_for_sending</c>.
/// </summary>
/// <remarks>
/// <para>The one rule for the framing headers an application gives (<see cref="IsFramingHeader"/>):</para>
/// <list type="bullet">
/// <item><c>Transfer-Encoding</c> is dropped: chunking is the host's business.</item>
/// <item><c>Content-Length</c> is dropped and written again from the plan: the body's own length when the
/// <see cref="Body"/> knows it; otherwise the application's value, which then declares what a stream or
/// chunk body will yield. A response to HEAD, and a 304, send the length the GET would have had:
/// the body's when it is not empty, else the application's.</item>
/// <item><c>Connection</c> is dropped; if it held <c>close</c>, the connection closes after the response
/// and <c>Connection: close</c> is sent. An application cannot keep alive what the host closes.</item>
/// </list>
/// <para>No body is sent for 1xx, 204, 304, or HEAD, whatever the application returned; 1xx and 204 carry no
/// <c>Content-Length</c>. A body of unknown length is chunked on HTTP/1.1 and close-delimited on HTTP/1.0.</para>
/// </remarks>
public readonly record struct ResponsePlan
{
    /// <summary>How the body is delimited.</summary>
    public BodyFraming Framing { get; init; }

    /// <summary>The <c>Content-Length</c> value to send, or null to send none.</summary>
    public long? ContentLength { get; init; }

    /// <summary>True when the host writes the body (false for 1xx, 204, 304, HEAD, and an empty buffer): it then sends it with <c>ResponseBodyWriter</c>, else discards it.</summary>
    public bool SendsBody { get; init; }

    /// <summary>
    /// For a stream or chunk body sent with a declared length: exactly how many bytes it must yield.
    /// Fewer or more is an application failure, and the connection is aborted (see <c>ResponseBodyWriter</c>).
    /// </summary>
    public long? ExactBodyLength { get; init; }

    /// <summary>True when the connection may serve another request after this response.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>The <c>Connection</c> header to send.</summary>
    public ConnectionHeader Connection { get; init; }

    /// <summary>True for the headers whose application values the plan replaces: <c>Content-Length</c>, <c>Transfer-Encoding</c>, <c>Connection</c>.</summary>
    public static bool IsFramingHeader(string name) =>
        name.Length switch
        {
            10 => name.Equals("Connection", StringComparison.OrdinalIgnoreCase),
            14 => name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase),
            17 => name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    /// <summary>Plans the response <paramref name="head"/> and <paramref name="body"/> make to <paramref name="request"/>.</summary>
    public static ResponsePlan For(RequestSummary request, ResponseHead head, in Body body)
    {
        ArgumentNullException.ThrowIfNull(head);
        return For(request, head.Status, head.DeclaredContentLength, head.AsksToClose, body);
    }

    /// <summary>Plans a response from its parts; <see cref="For(RequestSummary, ResponseHead, in Body)"/> is the usual entry.</summary>
    /// <param name="request">The request answered.</param>
    /// <param name="status">The status, 100 to 999.</param>
    /// <param name="declaredLength">The application's <c>Content-Length</c>, or null.</param>
    /// <param name="asksToClose">The application's <c>Connection</c> header holds <c>close</c>.</param>
    /// <param name="body">The body the application returned.</param>
    public static ResponsePlan For(RequestSummary request, int status, long? declaredLength, bool asksToClose, in Body body)
    {
        var streamed = body.Kind is BodyKind.Stream or BodyKind.Chunks;
        // The length this response's body has, or would have for a GET.
        var length = body.Length ?? declaredLength;
        if (body.Kind == BodyKind.Empty && declaredLength is not null && (request.IsHead || status == 304))
            length = declaredLength; // the length of the body the application chose not to produce

        BodyFraming framing;
        long? contentLength;
        if (status < 200 || status == 204)
        {
            (framing, contentLength) = (BodyFraming.None, null);
        }
        else if (status == 304)
        {
            // RFC 9110 15.4.5: a 304 may only state the length the 200 would have had; only the application knows it.
            (framing, contentLength) = (BodyFraming.None, declaredLength);
        }
        else if (request.IsHead)
        {
            (framing, contentLength) = (BodyFraming.None, length);
        }
        else if (length is { } known)
        {
            (framing, contentLength) = (BodyFraming.ContentLength, known);
        }
        else
        {
            (framing, contentLength) = (request.IsHttp11 ? BodyFraming.Chunked : BodyFraming.CloseDelimited, null);
        }

        var sendsBody = framing switch
        {
            BodyFraming.None => false,
            // A stream declared empty is still read, to prove it is.
            BodyFraming.ContentLength => contentLength > 0 || streamed,
            _ => true,
        };
        var keepAlive = request.KeepAlive && !asksToClose && framing != BodyFraming.CloseDelimited;
        return new ResponsePlan
        {
            Framing = framing,
            ContentLength = contentLength,
            SendsBody = sendsBody,
            ExactBodyLength = framing == BodyFraming.ContentLength && streamed ? contentLength : null,
            KeepAlive = keepAlive,
            Connection = !keepAlive ? ConnectionHeader.Close : request.IsHttp11 ? ConnectionHeader.None : ConnectionHeader.KeepAlive,
        };
    }
}
