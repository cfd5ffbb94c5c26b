using HostKit.Bench.Workloads;

namespace HostKit.Bench;

/// <summary>What <c>--app</c>, <c>--http</c>, <c>--ws</c> and <c>--workload-file</c> asked for: another application than the Demo, and its workloads.</summary>
/// <param name="App">The application's project, folder or .dll; null for the Demo.</param>
/// <param name="Http">Each --http value.</param>
/// <param name="WebSockets">Each --ws value.</param>
/// <param name="WorkloadFile">The --workload-file path, or null.</param>
internal sealed record AppSelection(string? App, IReadOnlyList<string> Http, IReadOnlyList<string> WebSockets, string? WorkloadFile)
{
    /// <summary>True when any workload of the app's own was given.</summary>
    public bool HasWorkloads => Http.Count > 0 || WebSockets.Count > 0 || WorkloadFile is not null;

    /// <summary>The workloads, in the order given: --http, then --ws, then the file's. Just GET / when none was given.</summary>
    /// <exception cref="FormatException">A value or the file is not valid; the message says which and why.</exception>
    public IReadOnlyList<Workload> Workloads()
    {
        List<WorkloadSpec> specs =
        [
            .. Http.Select(h => WorkloadSpec.Parse("http", h)),
            .. WebSockets.Select(w => WorkloadSpec.Parse("ws", w)),
            .. WorkloadFile is null ? [] : WorkloadSpec.Load(WorkloadFile),
        ];
        if (specs.Count == 0)
            specs.Add(WorkloadSpec.Parse("http", "path=/"));
        var workloads = specs.Select(s => s.ToWorkload()).ToList();
        if (workloads.GroupBy(w => w.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new FormatException($"Two workloads have the id '{twice.Key}': give one an id=... of its own.");
        return workloads;
    }
}
