using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;
using ScottPlot;

namespace HostKit.Bench.Report;

/// <summary>
/// The report's charts (ScottPlot, each as PNG and SVG): throughput per server for each workload with
/// the min-max spread over rounds, latency p50/p99 per workload, memory per idle websocket, and
/// server CPU per request or message.
/// </summary>
internal static class ChartWriter
{
    private const int Width = 1000;
    private const int Height = 560;

    private static readonly Dictionary<ServerGroup, Color> GroupColours = new()
    {
        [ServerGroup.HostKit] = Color.FromHex("#1f77b4"),
        [ServerGroup.Bare] = Color.FromHex("#7f7f7f"),
        [ServerGroup.Python] = Color.FromHex("#2ca02c"),
        [ServerGroup.Node] = Color.FromHex("#ff7f0e"),
        [ServerGroup.Ceiling] = Color.FromHex("#d62728"),
        [ServerGroup.OperatorVariant] = Color.FromHex("#aec7e8"), // HostKit's blue, lighter: the same host with a feature on
    };

    /// <summary>Writes every chart into <paramref name="folder"/>; returns the base names (without extension), in report order.</summary>
    public static IReadOnlyList<(string Name, string Title)> Write(ResultsSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<(string, string)>();
        foreach (var workload in summary.Results.Workloads)
        {
            if (workload.Kind == WorkloadKind.Memory)
                Save(IdleMemory(summary, workload), folder, $"memory-{workload.Id}", $"Memory per idle websocket ({workload.Title})", written);
            else if (Rows(summary, workload.Id).Any())
            {
                Save(Throughput(summary, workload), folder, $"throughput-{workload.Id}", $"Throughput: {workload.Title}", written);
                Save(Latency(summary, workload), folder, $"latency-{workload.Id}", $"Latency: {workload.Title}", written);
            }
        }
        if (CpuPerOperation(summary) is { } cpu)
            Save(cpu, folder, "cpu-per-operation", "Server CPU per request or message", written);
        return written;
    }

    private static void Save(Plot plot, string folder, string name, string title, List<(string, string)> written)
    {
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
        written.Add((name, title));
    }

    private static IEnumerable<(ResultsFile.ServerView Server, RowSummary Row)> Rows(ResultsSummary summary, string workload) =>
        summary.Servers.Select(s => (s, summary.Row(s.Name, workload))).Where(p => p.Item2 is { IsMeasured: true }).Select(p => (p.s, p.Item2!));

    private static Plot Throughput(ResultsSummary summary, ResultsFile.WorkloadView workload)
    {
        var rows = Rows(summary, workload.Id).ToList();
        var plot = BarsWithSpread(rows.Select(r => (r.Server, r.Row.Throughput!)).ToList(), v => v);
        plot.Title(Quick(summary) + workload.Title);
        plot.YLabel(workload.Unit + " (median of rounds, bars: min-max)");
        NoteMissing(plot, summary, workload.Id, rows.Select(r => r.Server.Name));
        var top = rows.Count > 0 ? rows.Max(r => r.Row.Throughput!.Max) : 1;
        if (summary.Ceiling(workload.Id)?.Throughput is { } ceiling)
        {
            top = Math.Max(top, ceiling.Max * RowSummary.ClientBoundFraction);
            var line = plot.Add.HorizontalLine(ceiling.Max * RowSummary.ClientBoundFraction);
            line.LinePattern = LinePattern.Dashed;
            line.Color = GroupColours[ServerGroup.Ceiling];
            line.LegendText = $"80% of the load generator's ceiling ({ceiling.Max:N0}): rows above are client-bound";
            plot.ShowLegend(Alignment.UpperRight);
        }
        plot.Axes.SetLimitsY(0, top * 1.25); // room for the legend above the tallest bar or the ceiling line
        return plot;
    }

    private static Plot Latency(ResultsSummary summary, ResultsFile.WorkloadView workload)
    {
        // A percentile the tool did not record is left out, never drawn as a 0 bar (wrk's pipelined batches).
        var rows = Rows(summary, workload.Id).Where(r => r.Row.P50Microseconds.HasValue || r.Row.P99Microseconds.HasValue).ToList();
        var plot = new Plot();
        var p50 = new List<Bar>();
        var p99 = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Row.P50Microseconds is { } median)
                p50.Add(new Bar { Position = (i * 3) + 0, Value = median / 1000, FillColor = Color.FromHex("#9ecae1") });
            if (rows[i].Row.P99Microseconds is { } tail)
                p99.Add(new Bar { Position = (i * 3) + 1, Value = tail / 1000, FillColor = Color.FromHex("#08519c") });
        }
        plot.Add.Bars(p50).LegendText = "p50";
        plot.Add.Bars(p99).LegendText = "p99";
        Label(plot, [.. rows.Select((r, i) => (i * 3) + 0.5)], [.. rows.Select(r => r.Server.Name)]);
        plot.Title(Quick(summary) + "latency: " + workload.Title);
        plot.YLabel("milliseconds (median of rounds)");
        var partial = rows.Where(r => r.Row.P50Microseconds is null || r.Row.P99Microseconds is null)
            .Select(r => $"{r.Server.Name}: no {(r.Row.P50Microseconds is null ? "p50" : "p99")} recorded");
        NoteMissing(plot, summary, workload.Id, rows.Select(r => r.Server.Name), "no latency recorded", partial);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    private static Plot IdleMemory(ResultsSummary summary, ResultsFile.WorkloadView workload)
    {
        var rows = summary.Servers.Select(s => (s, summary.Row(s.Name, workload.Id)))
            .Where(p => p.Item2?.BytesPerConnection is not null).Select(p => (p.s, p.Item2!.BytesPerConnection!)).ToList();
        var plot = BarsWithSpread(rows, v => v / 1024);
        plot.Title(Quick(summary) + workload.Title);
        plot.YLabel("KiB of server RSS per idle websocket (median, bars: min-max)");
        NoteMissing(plot, summary, workload.Id, rows.Select(r => r.s.Name));
        var target = plot.Add.HorizontalLine(TargetCheck.IdleWebSocketKiB);
        target.LinePattern = LinePattern.Dashed;
        target.LegendText = $"raw host target: {TargetCheck.IdleWebSocketKiB} KiB";
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(0, Math.Max(TargetCheck.IdleWebSocketKiB, rows.Count > 0 ? rows.Max(r => r.Item2.Max) / 1024 : 0) * 1.25);
        return plot;
    }

    private static Plot? CpuPerOperation(ResultsSummary summary)
    {
        var workloads = summary.Results.Workloads.Where(w => w.Kind == WorkloadKind.Throughput && Rows(summary, w.Id).Any()).ToList();
        var servers = summary.Servers.Where(s => workloads.Any(w => summary.Row(s.Name, w.Id)?.ServerCpuMicrosecondsPerOperation is not null)).ToList();
        if (workloads.Count == 0 || servers.Count == 0)
            return null;
        // One workload's CPU per operation can be 1000 times another's (a chat fan-out message against a plaintext
        // request): on a linear axis the small bars vanish. The axis is log10, each bar rising from one decade below
        // the smallest value, with ticks at 1, 2 and 5 of each decade.
        var values = servers.SelectMany(s => workloads.Select(w => summary.Row(s.Name, w.Id)?.ServerCpuMicrosecondsPerOperation)).OfType<double>().Where(v => v > 0).ToList();
        if (values.Count == 0)
            return null;
        var floor = Math.Floor(Math.Log10(values.Min()));
        var ceiling = Math.Ceiling(Math.Log10(values.Max()));
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var slot = servers.Count + 1;
        for (var s = 0; s < servers.Count; s++)
        {
            var bars = new List<Bar>();
            for (var w = 0; w < workloads.Count; w++)
            {
                if (summary.Row(servers[s].Name, workloads[w].Id)?.ServerCpuMicrosecondsPerOperation is { } cpu and > 0)
                    bars.Add(new Bar { Position = (w * slot) + s, Value = Math.Log10(cpu), ValueBase = floor, FillColor = palette.GetColor(s) });
            }
            plot.Add.Bars(bars).LegendText = servers[s].Name;
        }
        Label(plot, [.. workloads.Select((_, w) => (w * slot) + ((servers.Count - 1) / 2.0))], [.. workloads.Select(w => w.Id)]);
        plot.Title(Quick(summary) + "server CPU per request or message (lower is better)");
        plot.YLabel("CPU µs per operation, log scale (median of rounds)");
        plot.Axes.Left.TickGenerator = LogTicks(floor, ceiling);
        var gaps = servers.Select(s => (s.Name, Workloads: workloads.Where(w => !w.Hides(summary.Row(s.Name, w.Id)) && summary.Row(s.Name, w.Id)?.ServerCpuMicrosecondsPerOperation is not > 0).Select(w => w.Id).ToList()))
            .Where(g => g.Workloads.Count > 0).Select(g => $"{g.Name}: {string.Join(", ", g.Workloads)}").ToList();
        if (gaps.Count > 0)
        {
            var note = plot.Add.Annotation("no bar (not run, not supported or failed; the tables say which):\n" + string.Join("\n", gaps), Alignment.UpperRight);
            note.LabelFontSize = 11;
        }
        plot.Axes.SetLimitsY(floor, ceiling + (gaps.Count > 0 ? 0.8 : 0.35)); // room above the tallest bar for the legend and the note
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>One bar per server, coloured by group, with the min-max range as an error bar.</summary>
    private static Plot BarsWithSpread(List<(ResultsFile.ServerView Server, Spread Value)> rows, Func<double, double> scale)
    {
        var plot = new Plot();
        var bars = rows.Select((r, i) => new Bar { Position = i, Value = scale(r.Value.Median), FillColor = GroupColours[r.Server.Group] }).ToList();
        plot.Add.Bars(bars);
        var spread = new ScottPlot.Plottables.ErrorBar(
            [.. rows.Select((_, i) => (double)i)], [.. rows.Select(r => scale(r.Value.Median))], new double[rows.Count], new double[rows.Count],
            [.. rows.Select(r => scale(r.Value.Max) - scale(r.Value.Median))], [.. rows.Select(r => scale(r.Value.Median) - scale(r.Value.Min))])
        { Color = Colors.Black, CapSize = 6 };
        plot.Add.Plottable(spread);
        Label(plot, [.. rows.Select((_, i) => (double)i)], [.. rows.Select(r => r.Server.Name)]);
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    /// <summary>Ticks for a log10 axis from 10^<paramref name="floor"/> to 10^<paramref name="ceiling"/>: 1, 2 and 5 of each decade, labelled in plain numbers.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double floor, double ceiling)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = floor; decade <= ceiling; decade++)
        {
            foreach (var step in new[] { 1.0, 2.0, 5.0 })
            {
                var value = step * Math.Pow(10, decade);
                if (Math.Log10(value) <= ceiling)
                    ticks.AddMajor(Math.Log10(value), value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return ticks;
    }

    /// <summary>
    /// Says under the chart which servers of the run are not in it and why (not supported, failed, no latency...), so a
    /// host missing from a chart is never mistaken for one that was not run.
    /// </summary>
    private static void NoteMissing(Plot plot, ResultsSummary summary, string workload, IEnumerable<string> shown, string? whyNotShown = null, IEnumerable<string>? gaps = null)
    {
        var drawn = shown.ToHashSet(StringComparer.Ordinal);
        var view = summary.Results.Workloads.FirstOrDefault(w => w.Id == workload);
        var missing = summary.Servers.Where(s => s.MissingReason is null && !drawn.Contains(s.Name) && view?.Hides(summary.Row(s.Name, workload)) != true).Select(s => $"{s.Name} ({Why(summary.Row(s.Name, workload))})").ToList();
        var notes = new[] { missing.Count > 0 ? "not shown: " + string.Join(", ", missing) : null }.Concat(gaps ?? []).OfType<string>().ToList();
        if (notes.Count > 0)
            plot.XLabel(string.Join("; ", notes), size: 13);

        string Why(RowSummary? row) => row switch
        {
            null => "not run",
            { IsMeasured: true } => whyNotShown ?? "no figure",
            { Status: Running.RunStatus.Unsupported } => "not supported",
            { Status: Running.RunStatus.Unavailable } => "not available",
            { Status: Running.RunStatus.NotInstalled } => "not installed",
            _ => "failed",
        };
    }

    private static void Label(Plot plot, double[] positions, string[] labels)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 110;
        // The labels lean right from their ticks: room on the right keeps the last one whole.
        plot.Axes.Right.MinimumSize = 110;
        plot.Grid.XAxisStyle.IsVisible = false;
    }

    private static string Quick(ResultsSummary summary) => summary.Results.Quick ? "QUICK (not a measurement): " : "";
}
