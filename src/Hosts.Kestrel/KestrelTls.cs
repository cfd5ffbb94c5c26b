using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// Kestrel's own HTTPS on an <c>https://</c> listener, with the host kit's TLS policy (<see cref="TlsOptions.CreateAuthenticationOptions(bool)"/>:
/// the protocols, cipher suites and certificate Raw serves with) and the head timeout as its handshake timeout, as on Raw.
/// </summary>
internal static class KestrelTls
{
    /// <summary>
    /// Serves <paramref name="listen"/> over TLS: HTTP/1.1 only, so ALPN offers <c>http/1.1</c> alone, or with <paramref name="http2"/>
    /// HTTP/2 too, ALPN offering <c>h2</c> first (the kit's policy, <see cref="TlsOptions.CreateAuthenticationOptions(bool)"/>).
    /// </summary>
    public static void Use(ListenOptions listen, TlsOptions tls, HttpLimits limits, bool http2)
    {
        listen.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(tls.CreateAuthenticationOptions(http2)),
            HandshakeTimeout = limits.RequestHeadersTimeout,
        });
    }

    /// <summary>
    /// The services <c>UseHttps</c> takes from <see cref="KestrelServerOptions.ApplicationServices"/> (a logger factory, and
    /// Kestrel's metrics, which only Kestrel's own registration can make), for a Kestrel built without a host: a generic
    /// host's container with Kestrel's core services, built and never started.
    /// </summary>
    public static IHost Services(ILoggerFactory loggerFactory) =>
        new HostBuilder()
            .ConfigureWebHost(web => web.UseKestrelCore().Configure(_ => { }))
            .ConfigureServices(services => services.AddSingleton(loggerFactory))
            .Build();
}
