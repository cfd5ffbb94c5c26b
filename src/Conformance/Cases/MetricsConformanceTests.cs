using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>The <c>HostKit</c> meter reports the same instruments, by the same names, on every host.</summary>
[Collection(nameof(MetricsConformanceTests))]
public abstract class MetricsConformanceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricsConformanceTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HostMetrics.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
                copy[tag.Key] = tag.Value;
            _measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.Network);

    public static TheoryData<string> ConnectionHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.ConnectionLimit);

    public void Dispose() => _listener.Dispose();

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Requests_and_websockets_are_counted_under_the_same_names(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await server.Http.GetStringAsync("/plaintext");
        using (var socket = await server.ConnectWebSocketAsync("/ws/echo"))
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);

        await Eventually(() => Sum("hostkit.websockets.active", host) == 0 && Sum("hostkit.requests.active", host) == 0);
        Assert.Equal(1, Sum("hostkit.requests", host, ("status", 200)));
        Assert.Equal(1, Sum("hostkit.websockets.opened", host));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_refused_request_is_counted_with_its_reason(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"GET /ws/echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n");
        Assert.Equal(400, (await connection.ReadResponseAsync()).Status);
        await Eventually(() => Sum("hostkit.rejections", host, ("reason", nameof(RequestRejection.InvalidWebSocketKey))) == 1);
    }

    [HostTheory, MemberData(nameof(ConnectionHosts))]
    public async Task Connections_are_counted_open_and_closed(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using (var connection = await server.OpenConnectionAsync())
        {
            await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            await connection.ReadResponseAsync();
            Assert.Equal(1, Sum("hostkit.connections.active", host));
        }
        await Eventually(() => Sum("hostkit.connections.active", host) == 0);
        Assert.Equal(1, Sum("hostkit.connections.opened", host));
    }

    [HostTheory, MemberData(nameof(ConnectionHosts))]
    public async Task A_websocket_is_one_connection_until_it_closes(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using (var socket = await server.ConnectWebSocketAsync("/ws/echo"))
        {
            await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal("ping", await socket.ReceiveTextAsync());
            Assert.Equal(1, Sum("hostkit.connections.active", host));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        }
        await Eventually(() => Sum("hostkit.connections.active", host) == 0);
        // Stopped, nothing is left to count: a connection closed twice would show here as -1.
        await server.Server.StopAsync();
        Assert.Equal(0, Sum("hostkit.connections.active", host));
        Assert.Equal(1, Sum("hostkit.connections.opened", host));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Http_server_active_requests_counts_a_request_while_it_runs_with_method_and_scheme(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var slow = server.Http.GetStringAsync("/slow");
        await server.App.SlowEntered.Task.WaitAsync(Timeout);
        (string, object)[] tags = [("http.request.method", "GET"), ("url.scheme", "http")];
        Assert.Equal(1, Sum("http.server.active_requests", host, tags));

        server.App.SlowGate.SetResult();
        Assert.Equal("slow", await slow.WaitAsync(Timeout));
        await Eventually(() => Sum("http.server.active_requests", host, tags) == 0);
        Assert.Contains(_measurements, m => m.Instrument == "http.server.active_requests" && m.Value == -1 && Equals(m.Tags.GetValueOrDefault("host"), host));
    }

    private long Sum(string instrument, string host, params (string Key, object Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("host"), host) &&
                                 tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)))
            .Sum(m => m.Value);

    private static async Task Eventually(Func<bool> condition)
    {
        // Hosts count some things after the response is out: wait (bounded) for them, never for a fixed time.
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException("The expected measurements never arrived.");
            await Task.Delay(20);
        }
    }
}
