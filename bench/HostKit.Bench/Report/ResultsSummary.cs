using HostKit.Bench.Servers;

namespace HostKit.Bench.Report;

/// <summary>The rows of a run, by server and workload, with the generator ceilings folded in.</summary>
internal sealed class ResultsSummary
{
    private readonly Dictionary<(string Server, string Workload), RowSummary> _rows = [];

    public ResultsSummary(ResultsFile results)
    {
        Results = results;
        // A ceiling is the best the generator did against the trivial server: a round in which the
        // machine was busy lowers it, and a lowered ceiling would mark rows client-bound wrongly.
        var ceilings = results.Runs.Where(r => r.Server == "ceiling" && r.Throughput.HasValue)
            .GroupBy(r => r.Workload)
            .ToDictionary(g => g.Key, g => g.Max(r => r.Throughput!.Value));
        foreach (var group in results.Runs.GroupBy(r => (r.Server, r.Workload)))
            _rows[group.Key] = RowSummary.Of(group.Key.Server, group.Key.Workload, [.. group], ceilings.TryGetValue(group.Key.Workload, out var c) ? c : null);
    }

    public ResultsFile Results { get; }

    /// <summary>Servers in report order (HostKit hosts, bare, Python, Node), without the ceiling.</summary>
    public IEnumerable<ResultsFile.ServerView> Servers => Results.Servers.Where(s => s.Group != ServerGroup.Ceiling);

    public RowSummary? Row(string server, string workload) => _rows.GetValueOrDefault((server, workload));

    public RowSummary? Ceiling(string workload) => Row("ceiling", workload);

    /// <summary>The fastest measured server of <paramref name="group"/> on <paramref name="workload"/>.</summary>
    public RowSummary? Best(ServerGroup group, string workload) => Servers.Where(s => s.Group == group)
        .Select(s => Row(s.Name, workload))
        .Where(r => r is { Throughput: not null })
        .MaxBy(r => r!.Throughput!.Median);
}
