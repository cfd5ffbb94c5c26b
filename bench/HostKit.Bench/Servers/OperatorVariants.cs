namespace HostKit.Bench.Servers;

/// <summary>
/// The operator-cost variants of issue 25: <c>raw</c> and <c>kestrel</c> each again with one feature on, the rest of the
/// command line the host's own, so each variant's ratio to its host is the feature's cost.
/// <list type="bullet">
/// <item><c>+tls</c>: <c>https://</c> in <c>--urls</c> with a self-signed RSA 2048 certificate the runner makes
/// (<see cref="ThrowawayCertificate"/>); HTTP/1.1 rows only, since the websocket generator and h2load's h2c speak plain TCP.</item>
/// <item><c>+access-log</c>: <c>--access-log</c> (Combined Log Format) at <c>--log-level Information</c>, the level it is
/// written at; the console logger's lines go to a file on disk as an operator's <c>&gt; file</c> sends them.</item>
/// <item><c>+otel</c>: <c>--otlp-endpoint</c> to <see cref="OtlpSink"/>: the Demo's OpenTelemetry SDK listens to the
/// <c>HostKit</c> meter and source and exports over OTLP/HTTP with its defaults (every request traced).</item>
/// </list>
/// Nothing here runs unless a variant is selected: the certificate is made and the sink started on a variant's first start.
/// </summary>
/// <param name="scratch">Where the certificate and the access log files go (the runner's obj folder: on disk, never committed).</param>
internal sealed class OperatorVariants(string scratch) : IAsyncDisposable
{
    /// <summary>The hosts that get variants: the two issue 25 asks the costs of.</summary>
    public static readonly IReadOnlyList<string> Hosts = ["kestrel", "raw"];

    /// <summary>The <c>--hosts</c> group that runs every variant and the hosts they are read against.</summary>
    public const string Group = "operator-costs";

    private const string TlsLimitation =
        "over TLS only HTTP/1.1 is measured: the websocket load generator (bench/native/wsload.c) and h2load's h2c speak plain TCP";

    private readonly Lazy<(string CertFile, string KeyFile)> _certificate = new(() => ThrowawayCertificate.WritePem(Path.Combine(scratch, "tls")));
    private readonly Lock _sinkLock = new();
    private OtlpSink? _sink;

    /// <summary>The variants of <paramref name="host"/> (none for a host other than <see cref="Hosts"/>).</summary>
    /// <param name="host">The Demo on a HostKit host, as the catalog made it.</param>
    /// <param name="servesTls">The host's <c>--host list</c> says TLS.</param>
    public IEnumerable<ServerSpec> For(ServerSpec host, bool servesTls)
    {
        if (!Hosts.Contains(host.Name))
            return [];
        return [Tls(host, servesTls), AccessLog(host), OpenTelemetry(host)];
    }

    /// <summary>What the OTLP sink received, or null when no OpenTelemetry variant ran.</summary>
    public string? SinkReport()
    {
        lock (_sinkLock)
            return _sink is null ? null : $"OTLP sink at {_sink.Endpoint}: {_sink.Describe()}";
    }

    private ServerSpec Tls(ServerSpec host, bool servesTls)
    {
        var variant = new ServerVariant(host.Name, OperatorFeature.Tls);
        return new ServerSpec(variant.Name, ServerGroup.OperatorVariant,
            $"{host.Description} over TLS: https:// in --urls, --certfile/--keyfile a self-signed RSA 2048 certificate made by the runner",
            host.Features & ~(ServerFeatures.WebSockets | ServerFeatures.Chat | ServerFeatures.Http2),
            port =>
            {
                var (certFile, keyFile) = _certificate.Value; // made on the first start of a TLS variant
                return [.. Replace(host.Command(port), "--urls", $"https://127.0.0.1:{P(port)}"), "--certfile", certFile, "--keyfile", keyFile];
            },
            host.MissingReason ?? (servesTls ? null : $"{host.Name} declares no TLS in --host list"))
        {
            Variant = variant,
            Scheme = "https",
            Limitation = TlsLimitation,
        };
    }

    private ServerSpec AccessLog(ServerSpec host)
    {
        var variant = new ServerVariant(host.Name, OperatorFeature.AccessLog);
        return new ServerSpec(variant.Name, ServerGroup.OperatorVariant,
            $"{host.Description} with --access-log (Combined Log Format, --log-level Information), its output to a file on disk",
            host.Features,
            port => [.. Replace(host.Command(port), "--log-level", "Information"), "--access-log"],
            host.MissingReason)
        {
            Variant = variant,
            StandardOutputFile = Path.Combine(scratch, "access-logs", variant.Name + ".log"),
        };
    }

    private ServerSpec OpenTelemetry(ServerSpec host)
    {
        var variant = new ServerVariant(host.Name, OperatorFeature.OpenTelemetry);
        return new ServerSpec(variant.Name, ServerGroup.OperatorVariant,
            $"{host.Description} with --otlp-endpoint: the OpenTelemetry SDK on the HostKit meter and source, OTLP/HTTP to a sink in the runner that accepts and drops it, SDK defaults (every request traced, metrics every 60 s)",
            host.Features,
            port => [.. host.Command(port), "--otlp-endpoint", Sink().Endpoint.AbsoluteUri],
            host.MissingReason)
        {
            Variant = variant,
        };
    }

    private OtlpSink Sink()
    {
        lock (_sinkLock)
            return _sink ??= OtlpSink.Start();
    }

    /// <summary>The host's command line with the value after <paramref name="option"/> replaced: the rest stays the host's own.</summary>
    private static List<string> Replace(IReadOnlyList<string> command, string option, string value)
    {
        var at = command.ToList().IndexOf(option);
        if (at < 0 || at + 1 >= command.Count)
            throw new InvalidOperationException($"The host's command line has no {option} VALUE to change: {string.Join(' ', command)}");
        var changed = command.ToList();
        changed[at + 1] = value;
        return changed;
    }

    private static string P(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        OtlpSink? sink;
        lock (_sinkLock)
            sink = _sink;
        if (sink is not null)
            await sink.DisposeAsync();
    }
}
