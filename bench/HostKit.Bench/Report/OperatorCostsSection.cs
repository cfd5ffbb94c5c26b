using System.Globalization;
using System.Text;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Bench.Report;

/// <summary>
/// report.md's "What the operator features cost" (issue 25): each operator-cost variant against the same host without the
/// feature, on every throughput workload both ran: throughput, server CPU per operation and p99 as ratios of medians,
/// with their ranges over rounds. Written only when the run had variants.
/// </summary>
internal static class OperatorCostsSection
{
    /// <summary>The section's heading.</summary>
    public const string Heading = "## What the operator features cost";

    private static readonly Dictionary<OperatorFeature, string> HowItWasOn = new()
    {
        [OperatorFeature.Tls] = "**TLS**: `https://` in `--urls` with `--certfile`/`--keyfile`, a self-signed RSA 2048 certificate the runner made; wrk speaks HTTPS. " +
            "Connections are kept alive, so each is handshaken once at the start of a run: the figure is the cost of the encrypted traffic, not of handshakes. " +
            "HTTP/1.1 rows only: the websocket load generator (bench/native/wsload.c) has no TLS, and the HTTP/2 workload is h2c, plaintext by design.",
        [OperatorFeature.AccessLog] = "**access log**: `--access-log` (Combined Log Format) at `--log-level Information`, the level it is written at; the server's standard output, " +
            "where the console logger writes it, goes to a file on disk (bench/HostKit.Bench/obj/scratch/access-logs/, deleted when the process stops), as an operator's `> file` sends it: " +
            "not /dev/null, so the copy into the page cache is counted, as it is on a real server.",
        [OperatorFeature.OpenTelemetry] = "**OpenTelemetry**: the Demo's `--otlp-endpoint`: the OpenTelemetry SDK listens to the `HostKit` meter and `ActivitySource` and exports over " +
            "OTLP/HTTP (protobuf) with its defaults (every request traced, spans batched by 512, metrics every 60 s) to a sink in the runner that answers 200 and drops the bytes, " +
            "so the server pays its SDK and exporter and nothing of a collector's work.",
    };

    public static void Write(StringBuilder md, ResultsSummary summary)
    {
        var variants = summary.Servers.Where(s => s.Variant is not null).ToList();
        if (variants.Count == 0)
            return;
        md.AppendLine(Heading).AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Each variant is the Demo on the same host with one feature on, the rest of its command line the host's own. Each ratio is the variant's median over " +
            $"the host's, with its range over rounds (the variant's worst round against the host's best, to its best against the host's worst). A throughput below 1, or a CPU " +
            $"per operation or p99 above 1, is what the feature costs; within ±{TargetCheck.Noise:0.00} of 1 is noise.").AppendLine();
        foreach (var feature in variants.Select(v => v.Variant!.Feature).Distinct().Order())
            md.AppendLine(CultureInfo.InvariantCulture, $"- {HowItWasOn[feature]}");
        md.AppendLine();
        md.AppendLine("| feature | host | workload | throughput with / without | ratio (range) | CPU µs/op with / without | ratio (range) | p99 ms with / without | ratio (range) | note |");
        md.AppendLine("| --- | --- | --- | --: | --: | --: | --: | --: | --: | --- |");
        var workloads = summary.Results.Workloads.Where(w => w.Kind == WorkloadKind.Throughput).ToList();
        foreach (var variant in variants.OrderBy(v => v.Variant!.Feature).ThenBy(v => v.Variant!.Of, StringComparer.Ordinal))
        {
            foreach (var workload in workloads)
            {
                var with = summary.Row(variant.Name, workload.Id);
                if (with is null || workload.Hides(with))
                    continue;
                md.AppendLine(Row(variant.Variant!, workload, with, summary.Row(variant.Variant!.Of, workload.Id)));
            }
        }
        md.AppendLine();
    }

    private static string Row(ServerVariant variant, ResultsFile.WorkloadView workload, RowSummary with, RowSummary? without)
    {
        var lead = $"| {ServerVariant.Title(variant.Feature)} | {variant.Of} | {workload.Id} |";
        if (with.Throughput is not { } a)
            return $"{lead} - | - | - | - | - | - | {Cell(Why(with))} |";
        if (without?.Throughput is not { } b)
            return $"{lead} - | - | - | - | - | - | {Cell(without is null ? $"{variant.Of} was not in this run: run it too (--hosts {OperatorVariants.Group})" : $"{variant.Of}: {Why(without)}")} |";
        // Each row's own note says when its every round was on a busy machine (not judged), and how busy.
        var notes = new[]
        {
            with.ClientBound ? "with: **client-bound**" : null,
            without.ClientBound ? "without: **client-bound**" : null,
            with.Note is { } n1 ? $"with: {n1}" : null,
            without.Note is { } n2 ? $"without: {n2}" : null,
        }.Where(n => n is not null);
        return string.Create(CultureInfo.InvariantCulture,
            $"{lead} {a.Median:N0} / {b.Median:N0} {workload.Unit} | {Ratio(a, b)} | {Pair(with.CpuPerOperation, without.CpuPerOperation, 1, "0.0")} | {Ratio(with.CpuPerOperation, without.CpuPerOperation)} | " +
            $"{Pair(with.P99, without.P99, 1000, "0.00")} | {Ratio(with.P99, without.P99)} | {Cell(string.Join("; ", notes))} |");
    }

    /// <summary>Median over median, and the range from the variant's lowest over the host's highest to its highest over the host's lowest.</summary>
    private static string Ratio(Spread? with, Spread? without) =>
        with is null || without is not { Median: > 0, Min: > 0 }
            ? "-"
            : string.Create(CultureInfo.InvariantCulture, $"{with.Median / without.Median:0.00} ({with.Min / without.Max:0.00}-{with.Max / without.Min:0.00})");

    private static string Pair(Spread? with, Spread? without, double divisor, string format) =>
        $"{Median(with, divisor, format)} / {Median(without, divisor, format)}";

    private static string Median(Spread? spread, double divisor, string format) =>
        spread is null ? "-" : (spread.Median / divisor).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Why a row has no figure: its note (a TLS variant's says why it has no websocket rows), after its status unless that is "not supported".</summary>
    private static string Why(RowSummary row) => row.Status switch
    {
        RunStatus.Unsupported => row.Note ?? "not supported",
        RunStatus.Failed => $"**failed**: {row.Note}",
        RunStatus.Unavailable => $"not available: {row.Note}",
        RunStatus.NotInstalled => $"not installed: {row.Note}",
        _ => row.Note ?? "no figure",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
