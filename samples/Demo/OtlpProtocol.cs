namespace HostKit.Demo;

/// <summary>
/// How the Demo speaks OTLP, from OpenTelemetry's <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: <c>http/protobuf</c> (the
/// specification's default, port 4318) unless it says <c>grpc</c> (port 4317). .NET's exporter defaults to gRPC when the
/// variable is unset; the Demo follows the specification instead, so a bare endpoint means what it means elsewhere.
/// </summary>
internal enum OtlpProtocol
{
    /// <summary>Protobuf over HTTP POSTs to <c>/v1/traces</c> and <c>/v1/metrics</c> under the endpoint.</summary>
    HttpProtobuf,

    /// <summary>OTLP over gRPC, to the endpoint as given.</summary>
    Grpc,
}
