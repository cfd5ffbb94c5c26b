using System.IO.Pipelines;

namespace HostKit;

/// <summary>
/// One request, as the application sees it: WSGI/CGI-named properties, the headers, the body,
/// and request features such as the websocket upgrade. Each host derives its own, reading from
/// its engine lazily, so that what the application does not ask for costs nothing.
/// </summary>
public abstract class Environ
{
    private Dictionary<string, object?>? _items;
    private PipeReader? _bodyReader;

    /// <summary>CGI <c>REQUEST_METHOD</c>: <c>GET</c>, <c>POST</c>, ... as sent, upper case by convention.</summary>
    public abstract string RequestMethod { get; }

    /// <summary>CGI <c>SCRIPT_NAME</c>: the part of the path where the application is mounted; empty at the root.</summary>
    public virtual string ScriptName => string.Empty;

    /// <summary>CGI <c>PATH_INFO</c>: the request path below <see cref="ScriptName"/>, percent-decoding left to the application, starting with <c>/</c>.</summary>
    public abstract string PathInfo { get; }

    /// <summary>CGI <c>QUERY_STRING</c>: what follows <c>?</c> in the target, without the <c>?</c>; empty when none.</summary>
    public abstract string QueryString { get; }

    /// <summary>CGI <c>CONTENT_TYPE</c>: the request's <c>Content-Type</c>, or null.</summary>
    public virtual string? ContentType => GetHeader("Content-Type");

    /// <summary>CGI <c>CONTENT_LENGTH</c>: the declared body length, or null when the body is chunked or absent.</summary>
    public abstract long? ContentLength { get; }

    /// <summary>CGI <c>SERVER_NAME</c>: the host the client addressed (from <c>Host</c>), or the bound address.</summary>
    public abstract string ServerName { get; }

    /// <summary>CGI <c>SERVER_PORT</c>: the local port the request arrived on.</summary>
    public abstract int ServerPort { get; }

    /// <summary>CGI <c>SERVER_PROTOCOL</c>: <c>HTTP/1.1</c>, <c>HTTP/1.0</c>, ...</summary>
    public abstract string ServerProtocol { get; }

    /// <summary>CGI <c>SERVER_SOFTWARE</c>: the name of the HostKit host serving this request, e.g. <c>raw</c> or <c>kestrel</c>.</summary>
    public abstract string ServerSoftware { get; }

    /// <summary>CGI <c>REMOTE_ADDR</c>: the peer's IP address as text.</summary>
    public abstract string RemoteAddress { get; }

    /// <summary>CGI <c>REMOTE_PORT</c>: the peer's port.</summary>
    public abstract int RemotePort { get; }

    /// <summary>WSGI <c>wsgi.url_scheme</c>: <c>http</c> or <c>https</c>.</summary>
    public abstract string UrlScheme { get; }

    /// <summary>
    /// One request header by its HTTP name (case-insensitive); repeated headers are joined with <c>", "</c>.
    /// Null when absent.
    /// </summary>
    public abstract string? GetHeader(string name);

    /// <summary>Every request header as (HTTP name, value), in no guaranteed order; a repeated header appears once with its values joined.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Headers { get; }

    /// <summary>
    /// WSGI <c>wsgi.input</c>: the request body, already de-chunked; empty when there is none. Read it before
    /// returning the response body. Synchronous reads work on every host but block a thread: prefer
    /// <c>ReadAsync</c>. A body the client got wrong (malformed, too large, cut short) throws an
    /// <see cref="IOException"/>; let it escape and the host answers the client's error (400, 413) itself.
    /// </summary>
    public abstract Stream Body { get; }

    /// <summary>The request body as a <see cref="PipeReader"/>. Hosts with a native pipe override this; others wrap <see cref="Body"/>.</summary>
    public virtual PipeReader BodyReader => _bodyReader ??= PipeReader.Create(Body, new StreamPipeReaderOptions(leaveOpen: true));

    /// <summary>Signalled when the client goes away or the host aborts the request.</summary>
    public abstract CancellationToken RequestAborted { get; }

    /// <summary>
    /// The websocket upgrade this request offers, or null when it is not a valid websocket
    /// handshake or the host cannot upgrade. Accept it to get an <see cref="IWebSocket"/>;
    /// refuse it by answering with an ordinary HTTP response.
    /// </summary>
    public virtual WebSocketUpgrade? WebSocket => null;

    /// <summary>A bag for middleware and extensions to pass values along with the request (WSGI's extra environ keys).</summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>
    /// For hosts that keep one <see cref="Environ"/> per connection: forgets the previous request's
    /// <see cref="Items"/> and <see cref="BodyReader"/> so nothing leaks from one request to the next.
    /// </summary>
    protected void ResetForNextRequest()
    {
        _items = null;
        _bodyReader = null;
    }

    /// <summary>
    /// The CGI view: <c>REQUEST_METHOD</c>, <c>SCRIPT_NAME</c>, <c>PATH_INFO</c>, <c>QUERY_STRING</c>,
    /// <c>CONTENT_TYPE</c>, <c>CONTENT_LENGTH</c>, <c>SERVER_NAME</c>, <c>SERVER_PORT</c>,
    /// <c>SERVER_PROTOCOL</c>, <c>SERVER_SOFTWARE</c>, <c>REMOTE_ADDR</c>, <c>REMOTE_PORT</c>,
    /// <c>wsgi.url_scheme</c>, and every header as <c>HTTP_NAME</c> (upper case, <c>-</c> as <c>_</c>).
    /// Null for an unknown key or an absent header.
    /// </summary>
    public string? this[string key] => key switch
    {
        "REQUEST_METHOD" => RequestMethod,
        "SCRIPT_NAME" => ScriptName,
        "PATH_INFO" => PathInfo,
        "QUERY_STRING" => QueryString,
        "CONTENT_TYPE" => ContentType,
        "CONTENT_LENGTH" => ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "SERVER_NAME" => ServerName,
        "SERVER_PORT" => ServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "SERVER_PROTOCOL" => ServerProtocol,
        "SERVER_SOFTWARE" => ServerSoftware,
        "REMOTE_ADDR" => RemoteAddress,
        "REMOTE_PORT" => RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "wsgi.url_scheme" => UrlScheme,
        _ when key.StartsWith("HTTP_", StringComparison.Ordinal) => GetHeader(key[5..].Replace('_', '-')),
        _ => null,
    };
}
