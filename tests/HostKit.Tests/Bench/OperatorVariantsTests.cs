using System.Net;
using HostKit.Bench;
using HostKit.Bench.Servers;

namespace HostKit.Tests.Bench;

/// <summary>
/// The operator-cost variants (issue 25): raw and kestrel again with TLS, the access log or OpenTelemetry on, run only when
/// asked for, each its host's own command line with one feature on.
/// </summary>
public sealed class OperatorVariantsTests : IAsyncDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("hostkit-bench-variants-").FullName;
    private readonly OperatorVariants _variants;

    public OperatorVariantsTests() => _variants = new OperatorVariants(_scratch);

    [Fact]
    public void A_run_that_does_not_ask_for_the_variants_has_none()
    {
        var all = Catalog();
        foreach (var selection in new[] { "all", "hostkit", "baselines", "raw,kestrel", "hostkit,bare" })
            Assert.DoesNotContain(Selection.Servers(all, selection), s => s.Variant is not null);
        Assert.Equal(new[] { "kestrel", "raw", "httplistener", "bare-kestrel", "node-ws" }, Selection.Servers(all, "all").Select(s => s.Name));
    }

    [Fact]
    public void Operator_costs_runs_every_variant_with_the_hosts_they_are_read_against()
    {
        Assert.Equal(
            new[] { "kestrel", "raw", "kestrel+tls", "kestrel+access-log", "kestrel+otel", "raw+tls", "raw+access-log", "raw+otel" },
            Selection.Servers(Catalog(), "operator-costs").Select(s => s.Name));
    }

    [Fact]
    public void A_variant_named_alone_brings_its_host()
    {
        Assert.Equal(new[] { "raw", "raw+tls" }, Selection.Servers(Catalog(), "raw+tls").Select(s => s.Name));
        Assert.Equal(new[] { "kestrel", "raw", "kestrel+otel", "raw+access-log" }, Selection.Servers(Catalog(), "raw+access-log,kestrel+otel").Select(s => s.Name));
    }

    [Fact]
    public void An_unknown_name_lists_the_variants_and_the_group()
    {
        var error = Assert.Throws<ArgumentException>(() => Selection.Servers(Catalog(), "raw+gzip"));
        Assert.Contains("raw+tls", error.Message, StringComparison.Ordinal);
        Assert.Contains("operator-costs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_raw_and_kestrel_get_variants()
    {
        Assert.Empty(_variants.For(Host("httplistener"), servesTls: false));
        Assert.Equal(
            new[] { ("raw+tls", OperatorFeature.Tls), ("raw+access-log", OperatorFeature.AccessLog), ("raw+otel", OperatorFeature.OpenTelemetry) },
            _variants.For(Host("raw"), servesTls: true).Select(v => (v.Name, v.Variant!.Feature)));
        Assert.All(_variants.For(Host("raw"), servesTls: true), v => Assert.Equal((ServerGroup.OperatorVariant, "raw"), (v.Group, v.Variant!.Of)));
    }

    [Fact]
    public void The_tls_variant_serves_https_with_a_certificate_the_runner_made_and_has_http_rows_only()
    {
        var tls = Variant("raw", OperatorFeature.Tls);
        var command = tls.Command(8443);
        Assert.Equal(new[] { "dotnet", "Demo.dll", "--host", "raw", "--urls", "https://127.0.0.1:8443", "--log-level", "Warning", "--certfile" }, command.Take(9));
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(command[9], command[11]);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("--keyfile", command[10]);
        Assert.Equal("https", tls.Scheme);
        Assert.Equal(ServerFeatures.Http | ServerFeatures.HttpPipelining, tls.Features);
        Assert.Contains("wsload", tls.Limitation, StringComparison.Ordinal);
        Assert.Equal("kestrel declares no TLS in --host list", _variants.For(Host("kestrel"), servesTls: false).First().MissingReason);
    }

    [Fact]
    public void The_access_log_variant_logs_at_information_to_a_file()
    {
        var accessLog = Variant("raw", OperatorFeature.AccessLog);
        Assert.Equal(new[] { "dotnet", "Demo.dll", "--host", "raw", "--urls", "http://127.0.0.1:8000", "--log-level", "Information", "--access-log" }, accessLog.Command(8000));
        Assert.StartsWith(_scratch, accessLog.StandardOutputFile, StringComparison.Ordinal);
        Assert.Equal(("http", AllFeatures), (accessLog.Scheme, accessLog.Features));
    }

    [Fact]
    public async Task The_opentelemetry_variant_exports_to_a_sink_that_accepts_otlp()
    {
        var otel = Variant("raw", OperatorFeature.OpenTelemetry);
        Assert.Null(_variants.SinkReport()); // started on the variant's first start, not before
        var command = otel.Command(8000);
        Assert.Equal(new[] { "dotnet", "Demo.dll", "--host", "raw", "--urls", "http://127.0.0.1:8000", "--log-level", "Warning", "--otlp-endpoint" }, command.Take(9));
        var endpoint = new Uri(command[9]);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new("application/x-protobuf");
        using var response = await http.PostAsync(new Uri(endpoint, "/v1/traces"), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 trace and 0 metric exports", _variants.SinkReport(), StringComparison.Ordinal);
    }

    private const ServerFeatures AllFeatures = ServerFeatures.All | ServerFeatures.Chat;

    private ServerSpec Variant(string host, OperatorFeature feature) =>
        _variants.For(Host(host), servesTls: true).Single(v => v.Variant!.Feature == feature);

    /// <summary>The Demo on a host, with the command line the catalog gives it.</summary>
    private static ServerSpec Host(string name) => new(name, ServerGroup.HostKit, $"HostKit Demo on `{name}`", AllFeatures,
        port => ["dotnet", "Demo.dll", "--host", name, "--urls", $"http://127.0.0.1:{port}", "--log-level", "Warning"]);

    /// <summary>What the catalog lists for the Demo: the hosts, their variants, then baselines.</summary>
    private List<ServerSpec> Catalog()
    {
        var hosts = new[] { Host("kestrel"), Host("raw"), Host("httplistener") };
        return
        [
            .. hosts,
            .. hosts.SelectMany(h => _variants.For(h, servesTls: h.Name != "httplistener")),
            new ServerSpec("bare-kestrel", ServerGroup.Bare, "bare", ServerFeatures.All, _ => []),
            new ServerSpec("node-ws", ServerGroup.Node, "node", ServerFeatures.All, _ => []),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _variants.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }
}
