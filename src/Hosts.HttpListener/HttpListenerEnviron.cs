using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>The HostKit view of an <see cref="HttpListenerRequest"/>.</summary>
internal sealed class HttpListenerEnviron(HttpListenerContext context, CancellationToken aborted, long? maxBodyBytes) : Environ
{
    private readonly HttpListenerRequest _request = context.Request;
    private string? _pathInfo;
    private string? _queryString;
    private Stream? _body;
    private WebSocketUpgrade? _upgrade;

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

    public override Stream Body => _body ??= new HttpListenerRequestBody(_request.InputStream, IsChunked, maxBodyBytes ?? long.MaxValue);

    // HttpListener tells nothing when a client goes away mid-request: this is the server's stop only.
    public override CancellationToken RequestAborted => aborted;

    public override WebSocketUpgrade? WebSocket => _upgrade;

    /// <summary>Offers <paramref name="upgrade"/> (or nothing) to the application.</summary>
    public void Offer(WebSocketUpgrade? upgrade) => _upgrade = upgrade;

    public override IEnumerable<KeyValuePair<string, string>> Headers =>
        _request.Headers.AllKeys.OfType<string>().Select(k => KeyValuePair.Create(k, _request.Headers[k]!));

    public override string? GetHeader(string name) => _request.Headers[name];

    private bool IsChunked => _request.Headers["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    private (string Path, string Query) Split()
    {
        (_pathInfo, _queryString) = RequestTarget.Split(_request.RawUrl ?? "/");
        return (_pathInfo, _queryString);
    }
}
