using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>The HostKit view of an <see cref="HttpListenerRequest"/>.</summary>
internal sealed class HttpListenerEnviron(HttpListenerContext context, CancellationToken aborted, long? maxBodyBytes) : EngineEnviron
{
    private readonly HttpListenerRequest _request = context.Request;
    private string? _pathInfo;
    private string? _queryString;
    private Stream? _body;

    public override string RequestMethod => _request.HttpMethod;

    // RawUrl is the target as sent; Url would be decoded and normalized.
    public override string PathInfo => _pathInfo ??= Split().Path;

    public override string QueryString => _queryString ??= Split().Query;

    public override string? ContentType => _request.ContentType;

    // HttpListener reports 0 for a request with no Content-Length at all; CGI says absent.
    public override long? ContentLength => _request.Headers["Content-Length"] is not null && !IsChunked ? _request.ContentLength64 : null;

    public override string ServerName => RequestTarget.ServerName(_request.RawUrl ?? "/", _request.Headers["Host"], _request.LocalEndPoint.Address.ToString());

    public override int ServerPort => _request.LocalEndPoint.Port;

    public override string ServerProtocol => $"HTTP/{_request.ProtocolVersion.Major}.{_request.ProtocolVersion.Minor}";

    public override string ServerSoftware => HttpListenerHost.HostName;

    public override string RemoteAddress => Protocol.RemoteAddress.Text(_request.RemoteEndPoint.Address);

    public override int RemotePort => _request.RemoteEndPoint.Port;

    public override string UrlScheme => _request.IsSecureConnection ? "https" : "http";

    public override Stream Body => _body ??= new EngineRequestBody(_request.InputStream, maxBodyBytes ?? long.MaxValue, IsChunked ? BadChunkedBody : BodyEndedEarly);

    // HttpListener tells nothing when a client goes away mid-request: this is the server's stop only.
    public override CancellationToken RequestAborted => aborted;

    public override IEnumerable<KeyValuePair<string, string>> Headers =>
        _request.Headers.AllKeys.OfType<string>().Select(k => KeyValuePair.Create(k, _request.Headers[k]!));

    public override string? GetHeader(string name) => _request.Headers[name];

    // HttpListener fails a body the client got wrong with one of these, whatever went wrong: the framing tells which rule it broke.
    private static readonly Func<Exception, RequestRejection?> BadChunkedBody = ex => IsEngineFailure(ex) ? RequestRejection.InvalidChunkedBody : null;
    private static readonly Func<Exception, RequestRejection?> BodyEndedEarly = ex => IsEngineFailure(ex) ? RequestRejection.IncompleteBody : null;

    private static bool IsEngineFailure(Exception ex) => ex is HttpListenerException or IOException or ProtocolViolationException;

    private bool IsChunked => _request.Headers["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    private (string Path, string Query) Split()
    {
        (_pathInfo, _queryString) = RequestTarget.Split(_request.RawUrl ?? "/");
        return (_pathInfo, _queryString);
    }
}
