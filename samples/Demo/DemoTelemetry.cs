using HostKit.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HostKit.Demo;

/// <summary>
/// The Demo's OpenTelemetry export: with an OTLP endpoint configured, the real OpenTelemetry SDK listens to the
/// <c>HostKit</c> meter and <c>ActivitySource</c> and exports both over OTLP; without one, nothing is made and the
/// OpenTelemetry assemblies are never loaded (the SDK's types live in <see cref="OtlpExport"/>, reached only when
/// exporting), so the hosts see no listener and skip the clock and the activity (docs/observability.md). Disposing flushes
/// what the SDK still holds, when the Demo stops.
/// </summary>
internal sealed class DemoTelemetry : IDisposable
{
    /// <summary>OpenTelemetry's variable for the protocol (<c>grpc</c> or <c>http/protobuf</c>).</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> (or <c>service.name</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c>) names none.</summary>
    public const string DefaultServiceName = "hostkit-demo";

    /// <summary><c>--otlp-endpoint URL</c>, or OpenTelemetry's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: the Demo's <c>HostKit:Telemetry:OtlpEndpoint</c>.</summary>
    public static ConfigurationOption EndpointOption { get; } = new(
        "--otlp-endpoint",
        DemoTelemetryOptions.SectionName + ":" + nameof(DemoTelemetryOptions.OtlpEndpoint),
        "Export the HostKit metrics and traces over OTLP to this collector (http://HOST:4318; OTEL_EXPORTER_OTLP_PROTOCOL=grpc for gRPC); default: none, and nothing listens.")
    {
        EnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT",
        HelpName = "URL",
    };

    private readonly IDisposable _providers;

    private DemoTelemetry(IDisposable providers) => _providers = providers;

    /// <summary>Starts the export when <paramref name="configuration"/> names an endpoint; null (nothing made) when it does not.</summary>
    /// <exception cref="FormatException">The endpoint is not an http(s) URL, or the protocol is not one the exporter speaks.</exception>
    public static DemoTelemetry? Start(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        if (Endpoint(configuration) is not { } endpoint)
            return null;
        var protocol = Protocol(Environment.GetEnvironmentVariable(ProtocolVariable));
        var telemetry = new DemoTelemetry(OtlpExport.Start(endpoint, protocol, DefaultServiceName));
        loggerFactory.CreateLogger("HostKit.Demo").LogInformation(
            "OpenTelemetry: exporting the HostKit metrics and traces to {Endpoint} (OTLP {Protocol})", endpoint, protocol == OtlpProtocol.Grpc ? "grpc" : "http/protobuf");
        return telemetry;
    }

    /// <summary>Checks the settings before anything starts (the runner's Validate): the endpoint and the protocol.</summary>
    /// <exception cref="FormatException">Either is malformed; the message names the setting and what to write.</exception>
    public static void Validate(IConfiguration configuration)
    {
        if (Endpoint(configuration) is not null)
            _ = Protocol(Environment.GetEnvironmentVariable(ProtocolVariable));
    }

    /// <summary>The configured endpoint, or null when none is.</summary>
    private static Uri? Endpoint(IConfiguration configuration)
    {
        var text = configuration[EndpointOption.Key];
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"
            ? endpoint
            : throw new FormatException($"{EndpointOption.Name} ({EndpointOption.Key}, {EndpointOption.EnvironmentVariable}) = '{text}' is not a collector's URL: write http://HOST:PORT (4318 for OTLP over HTTP), or leave it empty to export nothing.");
    }

    private static OtlpProtocol Protocol(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "http/protobuf" => OtlpProtocol.HttpProtobuf,
        "grpc" => OtlpProtocol.Grpc,
        _ => throw new FormatException($"{ProtocolVariable} = '{text}' is not a protocol the OTLP exporter speaks: write http/protobuf (the default) or grpc."),
    };

    /// <summary>Flushes and stops the SDK: the spans and the last metrics it holds are sent.</summary>
    public void Dispose() => _providers.Dispose();
}
