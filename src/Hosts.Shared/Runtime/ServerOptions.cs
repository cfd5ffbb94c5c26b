using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Hosts.Runtime;

/// <summary>Everything a host needs to start serving an application.</summary>
public sealed record ServerOptions
{
    /// <summary>Where to listen, as <c>http://IP:PORT</c>; port 0 picks a free port. Default <c>http://127.0.0.1:8000</c>.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [new Uri("http://127.0.0.1:8000")];

    /// <summary>Where the host writes its log, app faults included.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Request limits and timeouts.</summary>
    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>Websocket limits and keep-alive.</summary>
    public WebSocketOptions WebSockets { get; init; } = WebSocketOptions.Default;

    /// <summary>
    /// True: bind so that other processes may listen on the same addresses (<see cref="SharedPort"/>, SO_REUSEPORT), as the
    /// runner's <c>--workers</c> does; only hosts with <see cref="HostCapabilities.SharedPort"/> can. Default false.
    /// </summary>
    public bool ReusePort { get; init; }

    /// <summary>
    /// How long <see cref="IRunningServer.StopAsync"/> lets HTTP requests in flight finish before it closes
    /// websockets (1001) and drops what is left (see <see cref="GracefulStop"/>). Default 5 s.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The peers whose proxy headers (<c>Forwarded</c>, <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c>) are believed
    /// for <c>REMOTE_ADDR</c>, the URL scheme and the host (<see cref="ProxyHeaders"/>); everyone else's are ignored.
    /// Default 127.0.0.1, as uvicorn: a proxy on the same machine. <see cref="TrustedProxies.None"/> turns it off.
    /// </summary>
    public TrustedProxies ForwardedAllowIps { get; init; } = TrustedProxies.Default;

    /// <summary>
    /// The access log's format (<see cref="Runtime.AccessLog"/>: one line per request and per websocket session, to the
    /// <c>HostKit.AccessLog</c> logger category), or null for no access log. Default null.
    /// </summary>
    public AccessLogFormat? AccessLog { get; init; }

    /// <summary>
    /// The certificate and TLS policy the <c>https://</c> addresses of <see cref="Urls"/> are served with (only hosts with
    /// <see cref="HostCapabilities.Tls"/> can), or null when none is given: an <c>https://</c> address is then refused at start.
    /// </summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>
    /// True: serve HTTP/2 next to HTTP/1.1 (only hosts with <see cref="HostCapabilities.Http2"/> can): by prior knowledge
    /// (h2c) on <c>http://</c> addresses, where a connection that opens with the HTTP/2 preface speaks HTTP/2 and any other
    /// speaks HTTP/1.1, and by ALPN (<c>h2</c> before <c>http/1.1</c>) on <c>https://</c> ones. Default false: HTTP/1.1 only.
    /// </summary>
    public bool Http2 { get; init; }
}
