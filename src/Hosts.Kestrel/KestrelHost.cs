using HostKit.Hosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

[assembly: ServerHost(typeof(HostKit.Hosts.Kestrel.KestrelHost), Order = 0)]

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The <c>kestrel</c> host: ASP.NET Core's Kestrel server with the HostKit application as its
/// only middleware (no MVC, no endpoint routing), websockets through <c>AcceptWebSocketAsync</c>.
/// </summary>
public sealed class KestrelHost : IServerHost
{
    internal const string HostName = "kestrel";

    /// <inheritdoc />
    public string Name => HostName;

    /// <inheritdoc />
    public string Engine => "ASP.NET Core Kestrel";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols |
        HostCapabilities.WebSocketKeepAliveTimeout | HostCapabilities.RequestLimits | HostCapabilities.Network | HostCapabilities.AbortsFailedResponses | HostCapabilities.HttpPipelining;

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = options.Urls.Select(url => ListenAddress.Parse(url, HostName)).ToList();
        var logger = options.LoggerFactory.CreateLogger("HostKit.kestrel");
        var tracker = new WebSocketTracker();

        // The empty builder reads no appsettings or environment: HostKit's runner owns configuration.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.Services.AddSingleton<IHostLifetime, HostKitLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ApplyLimits(kestrel.Limits, options.Limits);
            foreach (var endpoint in endpoints)
                kestrel.Listen(endpoint);
        });
        var app = builder.Build();
        app.UseWebSockets();
        var handler = new KestrelRequestHandler(application, options, tracker, logger);
        app.Run(handler.HandleAsync);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new HostStartException($"Kestrel could not listen on {string.Join(", ", options.Urls)}: {ex.Message}", ex);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => new Uri(a.Replace("[::]", "[::1]", StringComparison.Ordinal))).ToList() ?? [];
        foreach (var address in bound)
            HostLog.Listening(logger, HostName, address.ToString());
        return new KestrelServer(app, tracker, options.ShutdownTimeout, bound);
    }

    private static void ApplyLimits(KestrelServerLimits kestrel, HttpLimits limits)
    {
        kestrel.MaxRequestLineSize = limits.MaxRequestLineBytes;
        kestrel.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
        kestrel.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        kestrel.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = limits.KeepAliveTimeout;
    }
}
