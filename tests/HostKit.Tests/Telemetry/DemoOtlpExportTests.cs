using System.Diagnostics;
using System.Text;
using HostKit.Tests.Support;

namespace HostKit.Tests.Telemetry;

/// <summary>
/// The Demo's OTLP export (docs/observability.md) as an operator runs it: a Demo process with <c>--otlp-endpoint</c> or
/// OpenTelemetry's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, a collector on 127.0.0.1 receiving what the real SDK and exporter
/// send; and without either, a Demo in which OpenTelemetry is not even loaded, so the hosts find no listener.
/// </summary>
public sealed class DemoOtlpExportTests
{
    [Theory]
    [InlineData("--otlp-endpoint")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public async Task The_Demo_exports_the_span_and_the_metrics_of_a_request_to_an_otlp_collector(string configuredWith)
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = configuredWith == "OTEL_EXPORTER_OTLP_ENDPOINT" ? collector.Endpoint.AbsoluteUri : null,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = null, // the Demo's default: http/protobuf
            ["OTEL_SERVICE_NAME"] = null,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100", // spans batched for 0.1 s instead of 5 s
        };
        string[] flag = configuredWith == "--otlp-endpoint" ? ["--otlp-endpoint", collector.Endpoint.AbsoluteUri] : [];
        await using var demo = await DemoProcess.StartWithEnvironmentAsync("raw", environment, flag);
        await Eventually.TrueAsync(() => demo.Output.Text.Contains($"OpenTelemetry: exporting the HostKit metrics and traces to {collector.Endpoint}", StringComparison.Ordinal),
            "the Demo saying where it exports");
        Assert.Contains("OpenTelemetry.dll", await File.ReadAllTextAsync($"/proc/{demo.Pid}/maps"), StringComparison.Ordinal);

        var caller = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using (var http = new HttpClient { BaseAddress = demo.Address, Timeout = TimeSpan.FromSeconds(10) })
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/plaintext"))
        {
            request.Headers.Add("traceparent", $"00-{caller}-{callerSpan}-01");
            using var response = await http.SendAsync(request);
            Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        }

        // The request's server span, in the caller's trace with the caller's span as its parent, from the hostkit-demo service.
        var traceId = Convert.FromHexString(caller.ToHexString());
        var parentId = Convert.FromHexString(callerSpan.ToHexString());
        await Eventually.TrueAsync(() => collector.Received("/v1/traces", traceId), "the request's span reaching the collector");
        Assert.True(collector.Received("/v1/traces", traceId, parentId, Utf8("url.path"), Utf8("/plaintext"), Utf8("http.response.status_code"), Utf8("hostkit-demo")));
        Assert.All(collector.PostsTo("/v1/traces"), post => Assert.Equal("application/x-protobuf", post.ContentType));

        // The metrics are exported every 60 s by default, and once more when the SDK stops: the Demo flushes at its stop.
        Assert.Equal(0, await demo.StopAsync());
        Assert.True(collector.Received("/v1/metrics", Utf8("HostKit"), Utf8("http.server.request.duration"), Utf8("http.server.active_requests"), Utf8("hostkit-demo")),
            $"the metrics reach the collector by the Demo's stop; received {collector.PostsTo("/v1/metrics").Count} POST(s) to /v1/metrics");
        Assert.All(collector.PostsTo("/v1/metrics"), post => Assert.Equal("application/x-protobuf", post.ContentType));
    }

    [Fact]
    public async Task Without_an_endpoint_the_Demo_makes_no_provider_and_loads_no_OpenTelemetry()
    {
        var environment = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null };
        await using var demo = await DemoProcess.StartWithEnvironmentAsync("raw", environment);
        using (var http = new HttpClient { BaseAddress = demo.Address, Timeout = TimeSpan.FromSeconds(10) })
            Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));

        // Managed assemblies are mapped files: the Demo's own is listed, OpenTelemetry's is not, so nothing of it listens.
        var maps = await File.ReadAllTextAsync($"/proc/{demo.Pid}/maps");
        Assert.Contains("HostKit.Demo.dll", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("OpenTelemetry", maps, StringComparison.Ordinal);
        Assert.Equal(0, await demo.StopAsync());
        Assert.DoesNotContain("OpenTelemetry", demo.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_that_is_not_a_url_is_refused_before_the_Demo_starts()
    {
        var (exitCode, output) = await DemoProcess.RunToEndAsync("--host", "raw", "--urls", "http://127.0.0.1:0", "--otlp-endpoint", "collector:4318");
        Assert.Equal(2, exitCode);
        Assert.Contains("--otlp-endpoint (HostKit:Telemetry:OtlpEndpoint, OTEL_EXPORTER_OTLP_ENDPOINT) = 'collector:4318' is not a collector's URL", output, StringComparison.Ordinal);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
