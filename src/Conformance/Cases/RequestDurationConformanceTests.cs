using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>OpenTelemetry's <c>http.server.request.duration</c>, recorded the same way on every host.</summary>
[Collection(nameof(MetricsConformanceTests))]
public abstract class RequestDurationConformanceTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags)> _durations = new();

    public RequestDurationConformanceTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HostMetrics.MeterName && instrument.Name == "http.server.request.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
                copy[tag.Key] = tag.Value;
            _durations.Enqueue((value, copy));
        });
        _listener.Start();
    }

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http);

    public void Dispose() => _listener.Dispose();

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task An_answered_request_records_its_duration_with_the_semantic_conventions_tags(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using (var response = await server.Http.GetAsync("/plaintext"))
            Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        using (var missing = await server.Http.GetAsync("/no-such-page"))
            Assert.Equal(404, (int)missing.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Mine(host).Count < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var recorded = Mine(host);
        Assert.Equal([200, 404], recorded.Select(r => (int)r.Tags["http.response.status_code"]!).Order());
        Assert.All(recorded, r =>
        {
            Assert.True(r.Seconds >= 0);
            Assert.Equal(("GET", "http", "1.1"), ((string?)r.Tags["http.request.method"], (string?)r.Tags["url.scheme"], (string?)r.Tags["network.protocol.version"]));
        });
    }

    private List<(double Seconds, Dictionary<string, object?> Tags)> Mine(string host) =>
        [.. _durations.Where(d => Equals(d.Tags["host"], host))];
}
