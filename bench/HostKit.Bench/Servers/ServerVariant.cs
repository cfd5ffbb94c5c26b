namespace HostKit.Bench.Servers;

/// <summary>A server that is another one with one operator feature on: its figures are read as a ratio to <paramref name="Of"/>'s.</summary>
/// <param name="Of">The server without the feature (<c>raw</c> for <c>raw+tls</c>).</param>
/// <param name="Feature">The one feature turned on.</param>
internal sealed record ServerVariant(string Of, OperatorFeature Feature)
{
    /// <summary>The feature's part of a variant's name: <c>tls</c>, <c>access-log</c>, <c>otel</c>.</summary>
    public static string Suffix(OperatorFeature feature) => feature switch
    {
        OperatorFeature.Tls => "tls",
        OperatorFeature.AccessLog => "access-log",
        OperatorFeature.OpenTelemetry => "otel",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>What the report calls the feature.</summary>
    public static string Title(OperatorFeature feature) => feature switch
    {
        OperatorFeature.Tls => "TLS",
        OperatorFeature.AccessLog => "access log",
        OperatorFeature.OpenTelemetry => "OpenTelemetry",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>The variant's name in <c>--hosts</c> and the report: <c>raw+tls</c>.</summary>
    public string Name => $"{Of}+{Suffix(Feature)}";
}
