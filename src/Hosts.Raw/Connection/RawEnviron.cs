using System.Net;
using HostKit.Hosts.Raw.Http;

namespace HostKit.Hosts.Raw.Connection;

/// <summary>The environ of the Raw host: one per connection, pointed at each request's head in turn.</summary>
internal sealed class RawEnviron(HttpConnection connection) : Environ
{
    private RequestHead _head = null!;
    private string? _pathInfo;
    private string? _queryString;
    private WebSocketUpgrade? _upgrade;

    public void Begin(RequestHead head, WebSocketUpgrade? upgrade)
    {
        ResetForNextRequest();
        _head = head;
        _upgrade = upgrade;
        _pathInfo = _queryString = null;
    }

    public override string RequestMethod => _head.Method;

    public override string PathInfo => _pathInfo ??= SplitTarget().Path;

    public override string QueryString => _queryString ??= SplitTarget().Query;

    public override long? ContentLength => _head.ContentLength;

    public override string ServerName
    {
        get
        {
            if (_head.GetHeader("Host") is not { Length: > 0 } host)
                return connection.LocalEndPoint.Address.ToString();
            // Drop the port; keep an IPv6 literal's brackets whole.
            var colon = host.LastIndexOf(':');
            return colon > 0 && colon > host.LastIndexOf(']') ? host[..colon] : host;
        }
    }

    public override int ServerPort => connection.LocalEndPoint.Port;

    public override string ServerProtocol => _head.Version == Http.HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";

    public override string ServerSoftware => RawHost.HostName;

    public override string RemoteAddress => connection.RemoteAddress;

    public override int RemotePort => connection.RemoteEndPoint.Port;

    public override string UrlScheme => "http";

    public override Stream Body => connection.Body;

    public override CancellationToken RequestAborted => connection.Aborted;

    public override WebSocketUpgrade? WebSocket => _upgrade;

    public override string? GetHeader(string name) => _head.GetHeader(name);

    public override IEnumerable<KeyValuePair<string, string>> Headers => _head.Headers();

    private (string Path, string Query) SplitTarget()
    {
        var target = _head.Target;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        (_pathInfo, _queryString) = question < 0 ? (target, string.Empty) : (target[..question], target[(question + 1)..]);
        return (_pathInfo, _queryString);
    }
}

/// <summary>Endpoint text the environ asks for, made once per connection.</summary>
internal static class EndPointText
{
    public static string Address(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4().ToString() : endPoint.Address.ToString();
}
