using System.Globalization;

namespace HostKit.Bench.Load;

/// <summary>
/// HTTP load with wrk (one thread, on the load core). Each workload's Lua script gets
/// bench/wrk/report.lua appended, which prints the result as one JSON line.
/// </summary>
internal sealed class Wrk(string scriptsFolder, string workFolder, string loadCore)
{
    /// <summary>Runs wrk for <paramref name="seconds"/> (whole seconds: wrk takes no less) and returns what it measured.</summary>
    /// <param name="scheme"><c>http</c>, or <c>https</c> for a TLS server (wrk speaks it, and checks no certificate).</param>
    public async Task<LoadResult> RunAsync(string scheme, int port, string script, IReadOnlyList<string> scriptArguments, int connections, int seconds, CancellationToken cancellationToken)
    {
        var combined = Path.Combine(workFolder, "wrk-" + script);
        if (!File.Exists(combined))
        {
            Directory.CreateDirectory(workFolder);
            await File.WriteAllTextAsync(combined, await File.ReadAllTextAsync(Path.Combine(scriptsFolder, script), cancellationToken)
                + "\n" + await File.ReadAllTextAsync(Path.Combine(scriptsFolder, "report.lua"), cancellationToken), cancellationToken);
        }
        List<string> arguments = ["-t1", $"-c{connections}", $"-d{Math.Max(1, seconds)}s", "--timeout", "5s", "-s", combined, $"{scheme}://127.0.0.1:{port}/"];
        if (scriptArguments.Count > 0)
            arguments.AddRange(["--", .. scriptArguments]);
        var run = new LoadProcess();
        var exit = await run.RunAsync(loadCore, "wrk", arguments, TimeSpan.FromSeconds(seconds + 30), null, cancellationToken);
        if (LoadToolOutput.FindResult(run.Lines) is not { } json)
            throw new InvalidOperationException($"wrk exited with {exit} and no result: {run.Errors} {string.Join(" ", run.Lines)}");
        var errors = new[] { "connect_errors", "read_errors", "write_errors", "status_errors", "timeouts" }
            .Select(name => (name, count: json.Long(name)))
            .Where(e => e.count > 0)
            .Select(e => $"{e.count.ToString(CultureInfo.InvariantCulture)} {e.name.Replace('_', ' ')}")
            .ToList();
        return new LoadResult(json.Long("requests"), json.Long("duration_us") / 1e6, json.Percentile("p50_us"), json.Percentile("p99_us"),
            run.ReapedCpuSeconds, errors.Count > 0 ? "wrk: " + string.Join(", ", errors) : null);
    }
}
