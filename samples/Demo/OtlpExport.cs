using System.Runtime.CompilerServices;
using HostKit.Hosts.Runtime;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HostKit.Demo;

/// <summary>
/// The only code of the Demo that names OpenTelemetry's types: it is compiled, and the SDK loaded, only when an endpoint
/// is configured (<see cref="DemoTelemetry"/>). Everything else the SDK reads from OpenTelemetry's own environment
/// variables: <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_BSP_*</c>.
/// </summary>
internal static class OtlpExport
{
    /// <summary>A tracer provider on the <c>HostKit</c> source and a meter provider on the <c>HostKit</c> meter, both exporting to <paramref name="endpoint"/>.</summary>
    /// <returns>Both providers: disposing it flushes and stops them.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IDisposable Start(Uri endpoint, OtlpProtocol protocol, string serviceName)
    {
        // The Demo's name first, then the environment's detector, so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
        var resource = ResourceBuilder.CreateEmpty().AddService(serviceName).AddTelemetrySdk().AddEnvironmentVariableDetector();
        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(RequestTracing.SourceName)
            .AddOtlpExporter(options => Configure(options, endpoint, protocol, "v1/traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(HostMetrics.MeterName)
            .AddOtlpExporter(options => Configure(options, endpoint, protocol, "v1/metrics"))
            .Build();
        return new Providers(traces, metrics);
    }

    /// <summary>
    /// As the specification reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: over HTTP, the signal's path is appended to the base
    /// URL (the exporter appends nothing to an endpoint set in code); over gRPC the URL is used as it is.
    /// </summary>
    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpProtocol protocol, string signalPath)
    {
        options.Protocol = protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = protocol == OtlpProtocol.Grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }

    private sealed class Providers(TracerProvider? traces, MeterProvider? metrics) : IDisposable
    {
        public void Dispose()
        {
            traces?.Dispose();
            metrics?.Dispose();
        }
    }
}
