using System.Globalization;
using HostKit.Bench.Load;
using HostKit.Bench.Report;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;
using Spectre.Console;

namespace HostKit.Bench;

/// <summary>The whole run: find the servers, build the C tools, measure, write results.json, the charts and report.md.</summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.ReportFrom is { } existing)
        {
            var reportFolder = Path.GetFullPath(existing);
            await WriteReportAsync(ResultsFile.Load(Path.Combine(reportFolder, "results.json")), reportFolder);
            return 0;
        }
        var layout = RepositoryLayout.Locate();
        await using var variants = new OperatorVariants(layout.Scratch);
        IReadOnlyList<ServerSpec> servers;
        IReadOnlyList<Workload> workloads;
        try
        {
            if (options.App.App is { } app)
            {
                // Your app: its own hosts and routes; the baselines serve the Demo's routes, so they have nothing to compare.
                var all = (await ServerCatalog.AppHostsAsync(await AppAssembly.ResolveAsync(app), Path.GetFileNameWithoutExtension(app.TrimEnd('/')))).ToList();
                var own = options.App.Workloads();
                if (options.ListOnly)
                {
                    PrintCatalog(all, own);
                    return 0;
                }
                servers = Selection.Servers(all, options.Hosts);
                workloads = Selection.Workloads(own, options.Workloads);
            }
            else
            {
                if (options.App.HasWorkloads)
                    throw new ArgumentException("--http, --ws and --workload-file measure your application: name it with --app (the Demo's workloads are chosen with --workloads).");
                var all = await ServerCatalog.DiscoverAsync(layout, variants);
                if (options.ListOnly)
                {
                    PrintCatalog(all, WorkloadCatalog.Create(options.Quick));
                    return 0;
                }
                servers = Selection.Servers(all, options.Hosts);
                workloads = Selection.Workloads(WorkloadCatalog.Create(options.Quick), options.Workloads);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or IOException or System.Text.Json.JsonException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }

        var started = DateTimeOffset.UtcNow;
        var stamp = started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z";
        var folder = Path.GetFullPath(options.Output ?? (options.Quick ? Path.Combine(layout.Results, "quick", stamp) : Path.Combine(layout.Results, stamp)));
        Directory.CreateDirectory(folder);
        var tools = await NativeTools.BuildAsync(layout);
        var wrk = ToolLocator.Find("wrk");
        var settings = options.Settings;
        var results = new ResultsFile
        {
            Quick = options.Quick,
            CommandLine = options.CommandLine,
            App = options.App.App,
            StartedUtc = started,
            Machine = MachineInfo.Read(),
            Settings = new ResultsFile.RunSettingsView(settings.Warmup.TotalSeconds, settings.Duration.TotalSeconds, settings.Rounds, settings.ServerCore, settings.LoadCore, RowSummary.ClientBoundFraction),
            Tools = await ToolVersions.ReadAsync(layout, tools, wrk),
            Servers = [.. servers.Select(ResultsFile.ServerView.Of), ResultsFile.ServerView.Of(ServerCatalog.Ceiling(tools.CeilingServer))],
            Workloads = [.. workloads.Select(ResultsFile.WorkloadView.Of)],
        };
        var resultsPath = Path.Combine(folder, "results.json");
        AnsiConsole.MarkupLine(Markup.Escape($"{(options.Quick ? "QUICK run" : "Run")}: {servers.Count} servers x {workloads.Count} workloads x {settings.Rounds} round(s), " +
            $"about {BenchRunner.Estimate(settings, servers.Count(s => s.IsAvailable), workloads.Count):h\\:mm\\:ss}; report in {folder}"));

        var runner = new BenchRunner(settings, tools, wrk, layout.WrkScripts, folder, run =>
        {
            lock (results.Runs)
            {
                results.Runs.Add(run);
                results.Save(resultsPath);
            }
        });
        var interrupted = false;
        try
        {
            await runner.RunAsync(servers, workloads, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
            AnsiConsole.MarkupLine("[yellow]Interrupted: servers stopped; writing the report of what was measured.[/]");
        }

        if (variants.SinkReport() is { } sink)
            AnsiConsole.MarkupLine(Markup.Escape(sink));
        results.FinishedUtc = DateTimeOffset.UtcNow;
        results.LoadAverageAtEnd = MachineInfo.LoadAverage();
        results.Save(resultsPath);
        await WriteReportAsync(results, folder);
        var failed = results.Runs.Count(r => r.Status == RunStatus.Failed);
        if (failed > 0)
            AnsiConsole.MarkupLine($"[yellow]{failed} run(s) failed: see the notes in report.md and the server logs in {Markup.Escape(Path.Combine(folder, "logs"))}.[/]");
        return interrupted ? 130 : 0;
    }

    private static async Task WriteReportAsync(ResultsFile results, string folder)
    {
        var summary = new ResultsSummary(results);
        var charts = ChartWriter.Write(summary, Path.Combine(folder, "charts"));
        await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), MarkdownReport.Write(summary, charts), CancellationToken.None);
        AnsiConsole.MarkupLine(Markup.Escape($"Report: {Path.Combine(folder, "report.md")} ({charts.Count} charts, {results.Runs.Count} runs, {results.FinishedUtc - results.StartedUtc:h\\:mm\\:ss})"));
    }

    private static void PrintCatalog(IReadOnlyList<ServerSpec> servers, IReadOnlyList<Workload> workloads)
    {
        var table = new Table().AddColumn("server").AddColumn("group").AddColumn("what").AddColumn("here");
        foreach (var server in servers)
            table.AddRow(Markup.Escape(server.Name), server.Group.ToString(), Markup.Escape(server.Description), Markup.Escape(server.MissingReason ?? "ready"));
        AnsiConsole.Write(table);
        var list = new Table().AddColumn("workload").AddColumn("what").AddColumn("unit");
        foreach (var workload in workloads)
            list.AddRow(Markup.Escape(workload.Id), Markup.Escape(workload.Title), Markup.Escape(workload.Unit));
        AnsiConsole.Write(list);
    }
}
