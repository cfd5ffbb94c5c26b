namespace HostKit.Demo;

/// <summary>
/// The Demo's <c>HostKit:Telemetry</c> section: where it exports the <c>HostKit</c> meter and <c>ActivitySource</c> over
/// OTLP. Set with <c>--otlp-endpoint URL</c>, OpenTelemetry's own <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or
/// <c>"HostKit": { "Telemetry": { "OtlpEndpoint": "..." } }</c> in <c>hostkit.json</c> (docs/observability.md).
/// </summary>
public sealed class DemoTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "HostKit:Telemetry";

    /// <summary>
    /// The collector's base URL, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it (<c>http://127.0.0.1:4318</c>): with
    /// http/protobuf the signal's path (<c>/v1/traces</c>, <c>/v1/metrics</c>) is appended. Null or empty: nothing is
    /// exported, and no OpenTelemetry provider is made (nobody listens, so requests pay nothing for it).
    /// </summary>
    public string? OtlpEndpoint { get; set; }
}
