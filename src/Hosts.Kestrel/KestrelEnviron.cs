using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The HostKit view of a Kestrel request, read straight from Kestrel's request features (no
/// <c>HttpContext</c>). Kestrel keeps one per connection (<c>IHostContextContainer</c>), so a request
/// allocates no environ; each property reads Kestrel's own state when asked.
/// </summary>
internal sealed class KestrelEnviron : EngineEnviron
{
    private IHttpRequestFeature _request = null!;
    private IHttpConnectionFeature _connection = null!;
    private IHttpRequestLifetimeFeature _lifetime = null!;
    private IRequestBodyPipeFeature? _bodyPipe;
    private string? _pathInfo;
    private string? _queryString;

    public KestrelEnviron() => ClassifyBodyError = Classify;

    /// <summary>
    /// Maps the exception Kestrel throws for a request body the client got wrong to the host kit's rejection, for
    /// <see cref="ApplicationInvoker.InvokeAsync"/>; made once per connection, like the environ.
    /// </summary>
    public Func<Exception, RequestRejection?> ClassifyBodyError { get; }

    /// <summary>The response head the application fills; one per connection.</summary>
    public ResponseHead Head { get; } = new();

    /// <summary>The request's features, for the adapter to answer through.</summary>
    public IFeatureCollection Features { get; private set; } = null!;

    /// <summary>Points the environ at a new request.</summary>
    public void Begin(IFeatureCollection features)
    {
        ResetForNextRequest();
        Head.Reset();
        Features = features;
        _request = features.GetRequiredFeature<IHttpRequestFeature>();
        _connection = features.GetRequiredFeature<IHttpConnectionFeature>();
        _lifetime = features.GetRequiredFeature<IHttpRequestLifetimeFeature>();
        _bodyPipe = features.Get<IRequestBodyPipeFeature>();
        _pathInfo = _queryString = null;
    }

    public bool IsHttp11 => ReferenceEquals(_request.Protocol, "HTTP/1.1") || _request.Protocol == "HTTP/1.1";

    /// <summary>The request came over HTTP/2 (h2c or h2; <see cref="HostCapabilities.Http2"/>).</summary>
    public bool IsHttp2 => ReferenceEquals(_request.Protocol, "HTTP/2") || _request.Protocol == "HTTP/2";

    public override string RequestMethod => _request.Method;

    // The raw target, as sent, so that every host shows the same PATH_INFO (no percent-decoding).
    public override string PathInfo => _pathInfo ??= Split().Path;

    public override string QueryString => _queryString ??= Split().Query;

    public override string? ContentType => GetHeader("Content-Type");

    public override long? ContentLength => _request.Headers.ContentLength;

    // No local IP address: a unix socket (UnixSocketPeer), where Kestrel reports port 0 and no address.
    public override string ServerName => RequestTarget.ServerName(_request.RawTarget, GetHeader("Host"), _connection.LocalIpAddress?.ToString() ?? UnixSocketPeer.ServerName);

    public override int ServerPort => _connection.LocalIpAddress is null ? UnixSocketPeer.ServerPort(_request.RawTarget, GetHeader("Host"), UrlScheme) : _connection.LocalPort;

    public override string ServerProtocol => _request.Protocol;

    public override string ServerSoftware => KestrelHost.HostName;

    public override string RemoteAddress => Protocol.RemoteAddress.Text(_connection.RemoteIpAddress);

    public override int RemotePort => _connection.RemoteIpAddress is null ? UnixSocketPeer.RemotePort : _connection.RemotePort;

    public override string UrlScheme => _request.Scheme;

    public override Stream Body => _request.Body;

    public override PipeReader BodyReader => _bodyPipe?.Reader ?? base.BodyReader;

    public override CancellationToken RequestAborted => _lifetime.RequestAborted;

    public override IEnumerable<KeyValuePair<string, string>> Headers =>
        _request.Headers.Select(h => KeyValuePair.Create(h.Key, Join(h.Value)));

    /// <summary>
    /// Kestrel reports every body error with one type, <see cref="BadHttpRequestException"/>, whose status tells a body too
    /// large (413) and too slow (408). A 400 is told apart by the request and its connection, not by the message: a body
    /// of declared length can only have ended early, and so has a chunked one once Kestrel closed the connection on the
    /// end of its input (<see cref="RequestAborted"/>); any other 400 is a malformed chunked body.
    /// </summary>
    /// <remarks>
    /// A client that cuts its body short and closes also aborts the request, often before the read reports the early end: an
    /// application that reads the body with <see cref="RequestAborted"/> (as it should) then sees its read canceled. With a
    /// body declared (a length, or chunked), that is the body ending early too, as every other host reports it, not the
    /// application's failure. (Kestrel does not say whether the body had been read whole: an application canceled by a
    /// client that left after sending all of it is counted a refusal too, where other hosts log a 500 nobody receives.)
    /// </remarks>
    private RequestRejection? Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => RequestRejection.BodyTooLarge,
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => RequestRejection.BodyTimeout,
        BadHttpRequestException when ContentLength is not null || RequestAborted.IsCancellationRequested => RequestRejection.IncompleteBody,
        BadHttpRequestException => RequestRejection.InvalidChunkedBody,
        OperationCanceledException when RequestAborted.IsCancellationRequested && DeclaresBody => RequestRejection.IncompleteBody,
        _ => null,
    };

    private bool DeclaresBody => ContentLength > 0 || _request.Headers.TransferEncoding.Count > 0;

    /// <summary>
    /// The framing rule this request breaks, or null. Kestrel is more lenient than RFC 9112 (it takes
    /// <c>chunked, chunked</c>, <c>gzip, chunked</c>, and both framings at once), so the host kit's rules are applied
    /// here, before the application runs, and every host refuses the same requests.
    /// </summary>
    public RequestRejection? FramingRejection()
    {
        var headers = _request.Headers;
        var transferEncoding = headers.TransferEncoding;
        // With both framings Kestrel drops Content-Length and keeps its value as X-Content-Length (RFC 9112 section 6.3
        // lets it); that header next to Transfer-Encoding is how the adapter still sees both.
        var contentLength = transferEncoding.Count > 0 && headers.TryGetValue("X-Content-Length", out var moved) ? moved : headers["Content-Length"];
        if (transferEncoding.Count == 0)
        {
            // The common cases, without allocating: no body, or one length.
            if (contentLength.Count == 0)
                return null;
            if (contentLength.Count == 1)
                return RequestFraming.ParseContentLength(contentLength[0], out _);
        }
        return RequestFraming.Check(contentLength.ToArray(), transferEncoding.ToArray());
    }

    public override string? GetHeader(string name) =>
        _request.Headers.TryGetValue(name, out var values) ? Join(values) : null;

    // Kestrel keeps repeated headers as separate values; the contract joins them with ", " like every host.
    private static string Join(StringValues values) => values.Count == 1 ? values[0]! : string.Join(", ", values.ToArray());

    private (string Path, string Query) Split()
    {
        (_pathInfo, _queryString) = RequestTarget.Split(_request.RawTarget);
        return (_pathInfo, _queryString);
    }
}
