namespace HostKit.Bench.Servers;

/// <summary>What an operator turns on in front of real clients (issue 25), each measured against the same host without it.</summary>
internal enum OperatorFeature
{
    /// <summary>HTTPS: <c>https://</c> in <c>--urls</c> with a certificate the runner makes.</summary>
    Tls,

    /// <summary><c>--access-log</c>: one Combined Log Format line per request, through the console logger to a file.</summary>
    AccessLog,

    /// <summary>The OpenTelemetry SDK listening to the <c>HostKit</c> meter and source, exporting over OTLP (<c>--otlp-endpoint</c>).</summary>
    OpenTelemetry,
}
