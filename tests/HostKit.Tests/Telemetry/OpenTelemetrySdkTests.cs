using System.Diagnostics;
using System.Net.WebSockets;
using HostKit.Conformance;
using HostKit.Hosts;
using HostKit.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HostKit.Tests.Telemetry;

/// <summary>
/// The real OpenTelemetry SDK, with its in-memory exporters, receives what each host reports: the request duration
/// histogram and <c>http.server.active_requests</c> from the <c>HostKit</c> meter, and one server span per request
/// from the <c>HostKit</c> source, continuing the caller's trace. What a user wires up with an OTLP exporter instead.
/// </summary>
/// <remarks>In the metrics cases' collection: the SDK listens to the whole process, so nothing else may run meanwhile.</remarks>
[Collection("MetricsConformanceTests")]
public sealed class OpenTelemetrySdkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task The_sdk_receives_the_request_metrics_and_spans_of_a_real_host(string host)
    {
        var metrics = new Locked<MetricSnapshot>();
        var spans = new Locked<Activity>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(HostMetrics.MeterName).AddInMemoryExporter(metrics).Build();
        using var traces = Sdk.CreateTracerProviderBuilder().AddSource(RequestTracing.SourceName).AddInMemoryExporter(spans).Build();
        await using var server = await ServerUnderTest.StartAsync(host);

        var caller = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/plaintext"))
        {
            request.Headers.Add("traceparent", $"00-{caller}-{callerSpan}-01");
            using var response = await server.Http.SendAsync(request);
            Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        }
        using (var socket = await server.ConnectWebSocketAsync("/ws/echo"))
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);

        // A span is exported when it stops, just after its response is out: wait for it, bounded.
        await Eventually.TrueAsync(() => spans.Snapshot().Any(s => s.TraceId == caller) && spans.Snapshot().Any(s => s.GetTagItem("http.response.status_code") is 101), "what the host reports reaching the SDK", Timeout);
        var span = spans.Snapshot().Single(s => s.TraceId == caller);
        Assert.Equal((ActivityKind.Server, callerSpan, "GET"), (span.Kind, span.ParentSpanId, span.DisplayName));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("/plaintext", span.GetTagItem("url.path"));

        // After both requests: the duration histogram has the GET with its 200, and no request is active any more.
        await Eventually.TrueAsync(() => ActiveRequests(meters, metrics, host) == 0 && Durations(meters, metrics, host, 200) == 1, "what the host reports reaching the SDK", Timeout);
        Assert.Contains(metrics.Snapshot(), m => m.Name == "http.server.active_requests" && m.Unit == "{request}" && m.MetricType == MetricType.LongSumNonMonotonic);
        Assert.Contains(metrics.Snapshot(), m => m.Name == "http.server.request.duration" && m.Unit == "s" && m.MetricType == MetricType.Histogram);
    }

    /// <summary>Exports what the SDK has (cumulative values), then sums the active requests the host reported.</summary>
    private static long ActiveRequests(MeterProvider meters, Locked<MetricSnapshot> metrics, string host) =>
        Points(meters, metrics, "http.server.active_requests", host).Sum(p => p.GetSumLong());

    private static long Durations(MeterProvider meters, Locked<MetricSnapshot> metrics, string host, int status) =>
        Points(meters, metrics, "http.server.request.duration", host)
            .Where(p => Tag(p, "http.response.status_code") is int s && s == status && Tag(p, "http.request.method") is "GET")
            .Sum(p => p.GetHistogramCount());

    private static List<MetricPoint> Points(MeterProvider meters, Locked<MetricSnapshot> metrics, string name, string host)
    {
        metrics.Clear();
        meters.ForceFlush();
        return [.. metrics.Snapshot().Where(m => m.Name == name).SelectMany(m => m.MetricPoints).Where(p => Tag(p, "host") is string h && h == host)];
    }

    private static object? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
                return tag.Value;
        }
        return null;
    }

    /// <summary>What an exporter adds to from its own thread (a span as it stops, metrics on the reader's timer), read here under the same lock.</summary>
    private sealed class Locked<T> : System.Collections.ObjectModel.Collection<T>
    {
        private readonly Lock _gate = new();

        public List<T> Snapshot()
        {
            lock (_gate)
                return [.. Items];
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_gate)
                base.InsertItem(index, item);
        }

        protected override void ClearItems()
        {
            lock (_gate)
                base.ClearItems();
        }
    }
}
