using System.Globalization;
using System.Text.RegularExpressions;

namespace HostKit.Bench.Load;

/// <summary>
/// HTTP/2 load with nghttp2's h2load (one thread, on the load core): h2c by prior knowledge, several streams in flight per
/// connection. Its summary gives the counts; its per-request log (<c>--log-file</c>) the latencies, for p50 and p99.
/// </summary>
internal sealed partial class H2load(string program, string workFolder, string loadCore)
{
    /// <summary>Runs h2load against <paramref name="path"/> for <paramref name="seconds"/> and returns what it measured.</summary>
    public async Task<LoadResult> RunAsync(int port, string path, int connections, int streams, int seconds, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workFolder);
        var log = Path.Combine(workFolder, "h2load-requests.tsv");
        File.Delete(log);
        string[] arguments = ["-t1", $"-c{connections}", $"-m{streams}", $"-D{Math.Max(1, seconds)}", $"--log-file={log}", $"http://127.0.0.1:{port}{path}"];
        var run = new LoadProcess();
        var exit = await run.RunAsync(loadCore, program, arguments, TimeSpan.FromSeconds(seconds + 30), null, cancellationToken);
        var output = string.Join("\n", run.Lines);
        var (latencies, _) = File.Exists(log) ? Latencies(await File.ReadAllLinesAsync(log, cancellationToken)) : ([], 0);
        File.Delete(log);
        return Parse(output, latencies, run.ReapedCpuSeconds) ?? throw new InvalidOperationException($"h2load exited with {exit} and no summary: {run.Errors} {output}");
    }

    /// <summary>The result from h2load's summary, or null when it printed none; <paramref name="latencies"/> in microseconds, sorted.</summary>
    internal static LoadResult? Parse(string output, IReadOnlyList<double> latencies, double clientCpuSeconds)
    {
        var finished = Finished().Match(output);
        var requests = Requests().Match(output);
        var statuses = Statuses().Match(output);
        if (!finished.Success || !requests.Success || !statuses.Success)
            return null;
        long Number(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        var errors = new[] { ("failed", Number(requests, "failed")), ("errored", Number(requests, "errored")), ("timeout", Number(requests, "timeout")),
                ("non-2xx", Number(statuses, "s3") + Number(statuses, "s4") + Number(statuses, "s5")) }
            .Where(e => e.Item2 > 0).Select(e => $"{e.Item2.ToString(CultureInfo.InvariantCulture)} {e.Item1}").ToList();
        return new LoadResult(Number(statuses, "s2"), Seconds(finished.Groups["time"].Value), Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            clientCpuSeconds, errors.Count > 0 ? "h2load: " + string.Join(", ", errors) : null);
    }

    /// <summary>The durations (third column, microseconds) of h2load's per-request log, sorted, and how many lines it had.</summary>
    internal static (double[] Sorted, int Lines) Latencies(IReadOnlyList<string> lines)
    {
        var durations = lines.Select(l => l.Split('\t')).Where(c => c.Length >= 3 && double.TryParse(c[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(c => double.Parse(c[2], CultureInfo.InvariantCulture)).ToArray();
        Array.Sort(durations);
        return (durations, lines.Count);
    }

    private static double? Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? null : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    /// <summary>h2load's "finished in 5.00s" (or ms, when short).</summary>
    private static double Seconds(string time) =>
        time.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(time[..^2], CultureInfo.InvariantCulture) / 1000 : double.Parse(time.TrimEnd('s'), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"finished in (?<time>[\d.]+m?s),")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, \d+ succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex Requests();

    [GeneratedRegex(@"status codes: (?<s2>\d+) 2xx, (?<s3>\d+) 3xx, (?<s4>\d+) 4xx, (?<s5>\d+) 5xx")]
    private static partial Regex Statuses();
}
