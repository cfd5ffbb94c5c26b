using HostKit.Bench.Running;

namespace HostKit.Bench;

/// <summary>What the command line asked for.</summary>
/// <param name="Quick">A smoke run.</param>
/// <param name="Hosts">The --hosts selection (names or groups).</param>
/// <param name="Workloads">The --workloads selection (ids, prefixes with *, or all).</param>
/// <param name="Settings">Timings and rounds.</param>
/// <param name="Output">The report folder, or null for the default.</param>
/// <param name="ListOnly">Print servers and workloads, run nothing.</param>
/// <param name="ReportFrom">A report folder to summarise again from its results.json, running nothing.</param>
/// <param name="App">The application to measure (--app) and its workloads, when not the Demo.</param>
/// <param name="CommandLine">As typed, for the report.</param>
internal sealed record BenchOptions(bool Quick, string Hosts, string Workloads, RunSettings Settings, string? Output, bool ListOnly, string? ReportFrom, AppSelection App, string CommandLine);
