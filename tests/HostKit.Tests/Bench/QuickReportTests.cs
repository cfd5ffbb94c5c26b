using System.Text.Json;
using System.Text.RegularExpressions;
using HostKit.Bench.Load;
using HostKit.Bench.Report;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Tests.Bench;

/// <summary>
/// A <c>--quick</c> report claims nothing (issue 32): no verdicts, a latency the load tool did not record is blank rather
/// than 0.00, the workload ids carry the counts their titles name, and the tools line pairs each name with its version.
/// </summary>
public class QuickReportTests
{
    [Fact]
    public void A_quick_report_prints_no_verdicts_where_a_full_one_judges_the_same_figures()
    {
        var full = MarkdownReport.Write(new ResultsSummary(Results(quick: false)), []);
        Assert.Contains("| verdict |", full, StringComparison.Ordinal);
        Assert.Contains("**met**", full, StringComparison.Ordinal);             // raw 2x bare on plaintext

        var quick = MarkdownReport.Write(new ResultsSummary(Results(quick: true)), []);
        Assert.Contains("QUICK: no verdicts.", quick, StringComparison.Ordinal);
        Assert.Contains("QUICK RUN: a smoke check, not a measurement.", quick, StringComparison.Ordinal);
        Assert.DoesNotContain("| verdict |", quick, StringComparison.Ordinal);
        Assert.DoesNotContain("met**", quick, StringComparison.Ordinal);
    }

    [Fact]
    public void A_percentile_the_load_tool_did_not_record_is_a_blank_cell_not_zero()
    {
        var report = MarkdownReport.Write(new ResultsSummary(Results(quick: true)), []);
        // raw's pipelined run has no p99 (null, as read now); kestrel's has 0, as a results.json written before said "none".
        Assert.Contains("| raw | 40,000 | 40,000-40,000 |  | 9.50 |  | 0.50 |", report, StringComparison.Ordinal);
        Assert.Contains("| kestrel | 30,000 | 30,000-30,000 |  | 17.50 |  | 0.50 |", report, StringComparison.Ordinal);
        Assert.DoesNotContain("| 0.00 |", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"p50_us": 1234, "p99_us": 0}""", 1234.0, null)]
    [InlineData("""{"p50_us": 1234}""", 1234.0, null)]
    [InlineData("""{"p50_us": 800, "p99_us": 2500}""", 800.0, 2500.0)]
    public void Wrk_printing_0_for_a_percentile_means_none_recorded(string json, double? p50, double? p99)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal((p50, p99), (document.RootElement.Percentile("p50_us"), document.RootElement.Percentile("p99_us")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_count_in_a_workload_id_is_one_its_title_names(bool quick)
    {
        foreach (var workload in WorkloadCatalog.Create(quick))
        {
            var named = Regex.Matches(workload.Title.Replace(",", "", StringComparison.Ordinal), @"\d+").Select(m => m.Value).ToHashSet();
            foreach (var count in Regex.Matches(workload.Id, @"\d+").Select(m => m.Value))
                Assert.True(named.Contains(count), $"{workload.Id} says {count}, its title does not: '{workload.Title}'");
        }
    }

    [Fact]
    public void The_quick_ids_are_the_counts_a_quick_run_uses()
    {
        var ids = WorkloadCatalog.Create(quick: true).Select(w => w.Id).ToList();
        Assert.Subset(new HashSet<string>(ids), new HashSet<string> { "ws-echo-64x32B-text", "ws-arena-64", "ws-arena-256", "chat-fanout-10", "chat-fanout-100" });
        Assert.DoesNotContain(ids, id => id.Contains("256x", StringComparison.Ordinal) || id.EndsWith("-4096", StringComparison.Ordinal) || id.EndsWith("-1000", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tools_line_pairs_each_name_with_its_version()
    {
        var report = MarkdownReport.Write(new ResultsSummary(Results(quick: true)), []);
        Assert.Contains("- Tools: wrk 4.1.0; flask 2.2.2; gevent-websocket 0.10.1\n", report.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private static ResultsFile Results(bool quick)
    {
        var results = new ResultsFile
        {
            Quick = quick,
            CommandLine = "dotnet run -c Release --project bench/HostKit.Bench --" + (quick ? " --quick" : ""),
            StartedUtc = DateTimeOffset.UnixEpoch,
            Machine = new MachineInfo("cpu", 2, "6.1", "Debian 12", ".NET 10", "24 GiB", "0.1 0.1 0.1"),
            Settings = new ResultsFile.RunSettingsView(0.5, 0.5, 1, "0", "1", 0.8),
            Tools = new Dictionary<string, string> { ["wrk"] = "4.1.0", ["flask"] = "2.2.2", ["gevent-websocket"] = "0.10.1" },
            Servers =
            [
                new("kestrel", ServerGroup.HostKit, "HostKit on Kestrel", null),
                new("raw", ServerGroup.HostKit, "HostKit's own server", null),
                new("bare-kestrel", ServerGroup.Bare, "bare ASP.NET Core", null),
            ],
            Workloads =
            [
                new("plaintext", "GET /plaintext, 64 connections", "req/s", WorkloadKind.Throughput),
                new("pipelined", "GET /plaintext pipelined x16, 64 connections", "req/s", WorkloadKind.Throughput),
            ],
        };
        foreach (var (server, plaintext) in new[] { ("kestrel", 30_000.0), ("raw", 40_000.0), ("bare-kestrel", 20_000.0) })
            results.Runs.Add(Run(server, "plaintext", plaintext, p99: 4_000));
        results.Runs.Add(Run("kestrel", "pipelined", 30_000, p50: 17_500, p99: 0));
        results.Runs.Add(Run("raw", "pipelined", 40_000, p50: 9_500, p99: null));
        return results;
    }

    private static RunRecord Run(string server, string workload, double throughput, double? p50 = 1_000, double? p99 = null) =>
        new(server, workload, 1, RunStatus.Ok, null, DateTimeOffset.UnixEpoch, Throughput: throughput, Count: (long)(throughput / 2), Seconds: 0.5,
            P50Microseconds: p50, P99Microseconds: p99, ServerCpuSeconds: 0.5, ServerPeakRssBytes: 50L << 20, ClientCpuSeconds: 0.4, Connections: 64);
}
