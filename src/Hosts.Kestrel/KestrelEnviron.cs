using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>The HostKit view of an ASP.NET Core request: each property reads Kestrel's own state when asked.</summary>
internal sealed class KestrelEnviron(HttpContext context, KestrelUpgrade? upgrade) : Environ
{
    private string? _pathInfo;
    private string? _queryString;

    public override string RequestMethod => context.Request.Method;

    // The raw target, as sent, so that every host shows the same PATH_INFO (no percent-decoding).
    public override string PathInfo => _pathInfo ??= SplitTarget().Path;

    public override string QueryString => _queryString ??= SplitTarget().Query;

    public override string? ContentType => context.Request.ContentType;

    public override long? ContentLength => context.Request.ContentLength;

    public override string ServerName => context.Request.Host.Host ?? context.Connection.LocalIpAddress?.ToString() ?? string.Empty;

    public override int ServerPort => context.Connection.LocalPort;

    public override string ServerProtocol => context.Request.Protocol;

    public override string ServerSoftware => KestrelHost.HostName;

    public override string RemoteAddress => context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;

    public override int RemotePort => context.Connection.RemotePort;

    public override string UrlScheme => context.Request.Scheme;

    public override Stream Body => context.Request.Body;

    public override PipeReader BodyReader => context.Request.BodyReader;

    public override CancellationToken RequestAborted => context.RequestAborted;

    public override WebSocketUpgrade? WebSocket => upgrade;

    public override IEnumerable<KeyValuePair<string, string>> Headers =>
        context.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()));

    public override string? GetHeader(string name) =>
        context.Request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private (string Path, string Query) SplitTarget()
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var question = target.IndexOf('?', StringComparison.Ordinal);
        (_pathInfo, _queryString) = question < 0 ? (target, string.Empty) : (target[..question], target[(question + 1)..]);
        return (_pathInfo, _queryString);
    }
}
