using HostKit.Bench.Report;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Tests.Bench;

/// <summary>What the report says about the run it comes from: the Demo's targets only for the Demo, the command as typed.</summary>
public class MarkdownReportTests
{
    [Fact]
    public void The_demo_report_judges_the_targets()
    {
        var report = MarkdownReport.Write(new ResultsSummary(Results(app: null, "dotnet run -c Release --project bench/HostKit.Bench -- --rounds 3")), []);
        Assert.Contains("## Targets (issue 24)", report, StringComparison.Ordinal);
        Assert.Contains("- Command: `dotnet run -c Release --project bench/HostKit.Bench -- --rounds 3`", report, StringComparison.Ordinal);
    }

    [Fact]
    public void An_apps_report_has_no_targets_of_the_demo_and_its_command_as_typed()
    {
        var command = "dotnet tool exec HostKit.Bench -- --app MyApp --http path=/";
        var report = MarkdownReport.Write(new ResultsSummary(Results(app: "MyApp", command)), []);
        Assert.DoesNotContain("Targets", report, StringComparison.Ordinal);
        Assert.Contains($"- Command: `{command}`", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_variants_has_no_operator_costs_section()
    {
        var report = MarkdownReport.Write(new ResultsSummary(Results(app: null, "dotnet run -c Release --project bench/HostKit.Bench -- --rounds 3")), []);
        Assert.DoesNotContain(OperatorCostsSection.Heading, report, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_operator_feature_is_a_ratio_to_its_host_with_its_range_over_rounds()
    {
        var (servers, workloads, runs) = OperatorRun();
        var results = Results(app: null, "dotnet run -c Release --project bench/HostKit.Bench -- --hosts operator-costs", servers, workloads);
        results.Runs.AddRange(runs);
        var report = MarkdownReport.Write(new ResultsSummary(results), []);
        var section = report[report.IndexOf(OperatorCostsSection.Heading, StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        // Throughput 80/88/96 against 100/110/120 req/s: 0.80, from 80/120 to 96/100. CPU 12.5 against 10 µs per request, p99 2 against 1 ms.
        Assert.Contains("| TLS | raw | plaintext | 88 / 110 req/s | 0.80 (0.67-0.96) | 12.5 / 10.0 | 1.25 (1.25-1.25) | 2.00 / 1.00 | 2.00 (2.00-2.00) |", section, StringComparison.Ordinal);
        Assert.Contains("| access log | raw | plaintext | 99 / 110 req/s | 0.90 (0.75-1.08) |", section, StringComparison.Ordinal);
        // Over TLS the websocket rows are not measured, and the row says why.
        Assert.Contains("| TLS | raw | ws-echo-32x32B-text | - | - | - | - | - | - | over TLS only HTTP/1.1 is measured: the websocket load generator", section, StringComparison.Ordinal);
        Assert.Contains("**TLS**: `https://` in `--urls`", section, StringComparison.Ordinal);
        Assert.Contains("**access log**: `--access-log`", section, StringComparison.Ordinal);
        Assert.DoesNotContain("**OpenTelemetry**", section, StringComparison.Ordinal); // no such variant in this run
        // The variants are not hosts of their own in the ratios to the baselines.
        var ratios = report[report.IndexOf("## Ratios", StringComparison.Ordinal)..report.IndexOf(OperatorCostsSection.Heading, StringComparison.Ordinal)];
        Assert.DoesNotContain("raw+tls", ratios, StringComparison.Ordinal);
    }

    /// <summary>raw, raw+tls and raw+access-log over three rounds of plaintext, and the websocket echo TLS cannot run.</summary>
    private static (ResultsFile.ServerView[] Servers, ResultsFile.WorkloadView[] Workloads, RunRecord[] Runs) OperatorRun()
    {
        const string Limitation = "over TLS only HTTP/1.1 is measured: the websocket load generator (bench/native/wsload.c) and h2load's h2c speak plain TCP";
        ResultsFile.ServerView[] servers =
        [
            new("raw", ServerGroup.HostKit, "HostKit Demo on `raw`", null),
            new("raw+tls", ServerGroup.OperatorVariant, "over TLS", null, new ServerVariant("raw", OperatorFeature.Tls)),
            new("raw+access-log", ServerGroup.OperatorVariant, "with --access-log", null, new ServerVariant("raw", OperatorFeature.AccessLog)),
        ];
        ResultsFile.WorkloadView[] workloads =
        [
            new("plaintext", "GET /plaintext", "req/s", WorkloadKind.Throughput),
            new("ws-echo-32x32B-text", "websocket echo", "msgs/s", WorkloadKind.Throughput),
        ];
        var runs = new List<RunRecord>();
        for (var round = 1; round <= 3; round++)
        {
            runs.Add(Measured("raw", round, 90 + (10 * round), cpuMicroseconds: 10, p99Milliseconds: 1));
            runs.Add(Measured("raw+tls", round, 72 + (8 * round), cpuMicroseconds: 12.5, p99Milliseconds: 2));
            runs.Add(Measured("raw+access-log", round, 81 + (9 * round), cpuMicroseconds: 11, p99Milliseconds: 1.5));
            runs.Add(Measured("raw", round, 1000, cpuMicroseconds: 10, p99Milliseconds: 1) with { Workload = "ws-echo-32x32B-text" });
            runs.Add(new RunRecord("raw+tls", "ws-echo-32x32B-text", round, RunStatus.Unsupported, Limitation, DateTimeOffset.UnixEpoch));
        }
        return (servers, workloads, [.. runs]);
    }

    /// <summary>A 5 s window at <paramref name="rate"/> per second on a quiet machine.</summary>
    private static RunRecord Measured(string server, int round, double rate, double cpuMicroseconds, double p99Milliseconds) =>
        new(server, "plaintext", round, RunStatus.Ok, null, DateTimeOffset.UnixEpoch, Throughput: rate, Count: (long)(rate * 5), Seconds: 5,
            P50Microseconds: 500, P99Microseconds: p99Milliseconds * 1000, ServerCpuSeconds: cpuMicroseconds * rate * 5 / 1e6, OtherCpuCores: 0);

    private static ResultsFile Results(string? app, string command, ResultsFile.ServerView[]? servers = null, ResultsFile.WorkloadView[]? workloads = null) => new()
    {
        App = app,
        CommandLine = command,
        StartedUtc = DateTimeOffset.UnixEpoch,
        Machine = new MachineInfo("cpu", 2, "6.1", "Debian 12", ".NET 10", "24 GiB", "0.1 0.1 0.1"),
        Settings = new ResultsFile.RunSettingsView(20, 5, 3, "0", "1", 0.9),
        Tools = new Dictionary<string, string>(),
        Servers = servers ?? [],
        Workloads = workloads ?? [],
    };
}
