using System.Globalization;
using System.IO.Pipelines;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// A request as a trusted proxy says the client sent it: <c>REMOTE_ADDR</c>, <c>REMOTE_PORT</c>, <c>wsgi.url_scheme</c>,
/// the <c>Host</c> header, <c>SERVER_NAME</c> and <c>SERVER_PORT</c> from <see cref="ForwardedRequest"/>, everything
/// else from the host's own environ. Made only for a request that carries proxy headers from a trusted peer.
/// </summary>
internal sealed class ForwardedEnviron(Environ inner, ForwardedRequest forwarded) : Environ
{
    /// <summary>The host's own environ, as the connection delivered the request.</summary>
    public Environ Inner => inner;

    public override string RequestMethod => inner.RequestMethod;

    public override string ScriptName => inner.ScriptName;

    public override string PathInfo => inner.PathInfo;

    public override string QueryString => inner.QueryString;

    public override string? ContentType => inner.ContentType;

    public override long? ContentLength => inner.ContentLength;

    public override string ServerName => forwarded.Host is { } host ? RequestTarget.ServerName("/", host, host) : inner.ServerName;

    public override int ServerPort => forwarded.Host is { } host ? PortOf(host) ?? DefaultPort : inner.ServerPort;

    public override string ServerProtocol => inner.ServerProtocol;

    public override string ServerSoftware => inner.ServerSoftware;

    public override string RemoteAddress => forwarded.ClientAddress ?? inner.RemoteAddress;

    public override int RemotePort => forwarded.ClientAddress is null ? inner.RemotePort : forwarded.ClientPort;

    public override string UrlScheme => forwarded.Scheme ?? inner.UrlScheme;

    public override Stream Body => inner.Body;

    public override PipeReader BodyReader => inner.BodyReader;

    public override CancellationToken RequestAborted => inner.RequestAborted;

    public override WebSocketUpgrade? WebSocket => inner.WebSocket;

    public override string? GetHeader(string name) =>
        forwarded.Host is { } host && string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) ? host : inner.GetHeader(name);

    public override IEnumerable<KeyValuePair<string, string>> Headers => forwarded.Host is { } host
        ? inner.Headers.Select(h => string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase) ? KeyValuePair.Create(h.Key, host) : h)
        : inner.Headers;

    private int DefaultPort => UrlScheme == "https" ? 443 : 80;

    private static int? PortOf(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && colon > host.LastIndexOf(']') ? int.Parse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }
}
