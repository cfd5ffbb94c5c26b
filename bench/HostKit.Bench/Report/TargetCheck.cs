using System.Globalization;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Report;

/// <summary>One speed target of issue 24, as measured: the ratio (with its range over rounds) and whether it is met.</summary>
internal sealed record TargetCheck(string Target, string Measured, string Verdict)
{
    /// <summary>Differences under this are noise on this machine (two processes of one binary differ by up to ~15%).</summary>
    public const double Noise = 0.10;

    /// <summary>Issue 24's memory target for an idle Raw websocket: what Node + ws holds (6.0 KiB).</summary>
    public const int IdleWebSocketKiB = 6;

    private static readonly string[] HttpWorkloads = ["plaintext", "pipelined", "post-echo-4k"];
    private static readonly string[] EchoShapes = ["32x32B", "256x32B", "32x4KiB"];
    private static readonly string[] Encodings = ["text", "binary"];

    /// <summary>Every target the report states, in issue 24's order.</summary>
    public static IReadOnlyList<TargetCheck> Evaluate(ResultsSummary summary)
    {
        var checks = new List<TargetCheck>();
        var echoes = EchoShapes.SelectMany(shape => Encodings.Select(encoding => $"ws-echo-{shape}-{encoding}")).ToList();
        foreach (var workload in HttpWorkloads)
            checks.Add(Ratio($"`raw` >= 1.25x bare ASP.NET Core on {workload}", summary.Row("raw", workload), summary.Row("bare-kestrel", workload), 1.25));
        foreach (var workload in echoes)
            checks.Add(Ratio($"`raw` >= 1.25x Node + ws on {workload}", summary.Row("raw", workload), summary.Row("node-ws", workload), 1.25));
        foreach (var workload in HttpWorkloads.Concat(echoes.Where(w => !w.Contains("256x", StringComparison.Ordinal))))
            checks.Add(Ratio($"`kestrel` >= 1.0x bare ASP.NET Core on {workload}", summary.Row("kestrel", workload), summary.Row("bare-kestrel", workload), 1.0));
        foreach (var workload in new[] { "plaintext", "ws-echo-32x32B-text" })
            checks.Add(Ratio($"`raw` >= 0.70x the C ceiling server on {workload}", summary.Row("raw", workload), summary.Ceiling(workload), 0.70));
        checks.Add(IdleMemory(summary.Row("raw", "idle-ws")));
        return checks;
    }

    private static TargetCheck Ratio(string target, RowSummary? subject, RowSummary? baseline, double factor)
    {
        if (subject?.Throughput is not { } a || baseline?.Throughput is not { } b || b.Median <= 0)
            return new TargetCheck(target, "-", $"not measured ({Why(subject) ?? Why(baseline) ?? "a server was not in this run"})");
        var ratio = a.Median / b.Median;
        var measured = string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}x (range {a.Min / b.Max:0.00}-{a.Max / b.Min:0.00})");
        string verdict;
        if (subject.MeasuredOnBusyMachine || baseline.MeasuredOnBusyMachine)
            verdict = "not judged: the machine was busy in every round";
        else if (subject.ClientBound && baseline.ClientBound)
            verdict = "inconclusive: both rows client-bound";
        else if (ratio >= factor)
            verdict = baseline.ClientBound ? "met (the baseline is client-bound, so the margin may be larger)" : "**met**";
        else
            verdict = subject.ClientBound ? "inconclusive: client-bound" : "**not met**";
        if (Math.Abs(ratio - factor) < Noise * factor)
            verdict += ", within the ±10% noise";
        return new TargetCheck(target, measured, verdict);
    }

    private static TargetCheck IdleMemory(RowSummary? raw)
    {
        var target = $"`raw` <= {IdleWebSocketKiB} KiB per idle websocket (Node + ws: 6.0)";
        if (raw?.BytesPerConnection is not { } bytes)
            return new TargetCheck(target, "-", $"not measured ({Why(raw) ?? "raw was not in this run"})");
        var measured = string.Create(CultureInfo.InvariantCulture, $"{bytes.Median / 1024:0.0} KiB (range {bytes.Min / 1024:0.0}-{bytes.Max / 1024:0.0})");
        return new TargetCheck(target, measured, bytes.Median <= IdleWebSocketKiB * 1024 ? "**met**" : "**not met**");
    }

    private static string? Why(RowSummary? row) => row is null ? null : row.IsMeasured ? null : $"{row.Server}: {row.Note}";
}
