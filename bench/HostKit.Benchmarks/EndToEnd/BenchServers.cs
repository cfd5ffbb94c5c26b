using System.Net;
using HostKit.Demo;
using HostKit.Hosting;
using HostKit.Hosts;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// The servers the end-to-end benchmarks measure: every host the runner finds (as <c>--host list</c> does, so a
/// new host is measured with no edit here) serving the Demo, and two baselines that make the figures readable:
/// <see cref="Trivial"/>, a server that allocates nothing, so its row is what the client itself costs; and
/// <see cref="BareKestrel"/>, Kestrel under an <c>IHttpApplication</c> that writes the same bytes, so its row is
/// what Kestrel itself costs.
/// </summary>
internal static class BenchServers
{
    /// <summary>The client's own cost: <see cref="TrivialServer"/>, which allocates nothing.</summary>
    public const string Trivial = "trivial";

    /// <summary>The engine's own cost: <see cref="BareKestrelApplication"/> on Kestrel.</summary>
    public const string BareKestrel = "bare-kestrel";

    /// <summary>The baselines, then the hosts that serve HTTP on a socket.</summary>
    public static IEnumerable<string> ForHttp() => [Trivial, BareKestrel, .. Hosts(HostCapabilities.Http | HostCapabilities.Network)];

    /// <summary>The baselines, then the hosts that serve websockets on a socket.</summary>
    public static IEnumerable<string> ForWebSockets() => [Trivial, BareKestrel, .. Hosts(HostCapabilities.WebSockets | HostCapabilities.Network)];

    /// <summary>Starts <paramref name="name"/> on 127.0.0.1, on a free port.</summary>
    public static async Task<BenchServer> StartAsync(string name)
    {
        var any = new IPEndPoint(IPAddress.Loopback, 0);
        switch (name)
        {
            case Trivial:
                var trivial = TrivialServer.Start(any);
                return new BenchServer(name, trivial.Address, () => { trivial.Dispose(); return ValueTask.CompletedTask; });
            case BareKestrel:
                var bare = await BareKestrelServer.StartAsync(any);
                return new BenchServer(name, bare.Address, bare.DisposeAsync);
            default:
                var options = new ServerOptions
                {
                    Urls = [new Uri($"http://{any}")],
                    // No pings: a ping frame in the middle of the echo would break the client's fixed-size read,
                    // and keep-alive is a timer's cost, not a message's.
                    WebSockets = WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero },
                };
                var running = await HostDiscovery.Registry.Get(name).StartAsync(DemoApp.Create(), options);
                return new BenchServer(name, running.Addresses[0], running.DisposeAsync);
        }
    }

    private static IEnumerable<string> Hosts(HostCapabilities required) =>
        HostDiscovery.Registry.Hosts.Where(h => (h.Capabilities & required) == required).Select(h => h.Name);
}
