using System.Globalization;
using System.Text.Json;

namespace HostKit.Bench.Load;

/// <summary>Drives bench/native/wsload (see its header for the modes) on the load core.</summary>
internal sealed class WsLoad(string binary, string loadCore)
{
    /// <summary>Runs one wsload mode; <paramref name="onPhase"/> sees "measure", "connected" and "done" as they begin.</summary>
    public async Task<(LoadResult Result, JsonElement Json)> RunAsync(string mode, int port, IEnumerable<string> options, TimeSpan timeout,
        Func<string, Action, Task>? onPhase, CancellationToken cancellationToken)
    {
        var run = new LoadProcess();
        string[] arguments = [mode, "--port", port.ToString(CultureInfo.InvariantCulture), .. options];
        var exit = await run.RunAsync(loadCore, binary, arguments, timeout, onPhase, cancellationToken);
        if (LoadToolOutput.FindResult(run.Lines) is not { } json)
            throw new InvalidOperationException($"wsload {mode} exited with {exit} and no result: {run.Errors}");
        var problems = new List<string>();
        void Count(string name, string what)
        {
            if (json.Long(name) > 0)
                problems.Add($"{json.Long(name).ToString(CultureInfo.InvariantCulture)} {what}");
        }
        Count("handshake_failures", "upgrades failed");
        Count("dropped", "sockets dropped");
        Count("lost", "chat messages lost");
        Count("wrong_size", "echoes of the wrong size");
        if (json.Text("error") is { Length: > 0 } first)
            problems.Add($"first: {first}");
        var wire = json.Long("wire_out_bytes") + json.Long("wire_in_bytes");
        var result = new LoadResult(json.Long("messages"), json.Double("seconds"), json.Percentile("p50_us"), json.Percentile("p99_us"),
            json.Double("client_cpu_s"), problems.Count > 0 ? "wsload: " + string.Join("; ", problems) : null, wire > 0 ? wire : null);
        return (result, json);
    }

    /// <summary>Asks for one websocket upgrade on <paramref name="path"/>: null when it was accepted, else what the server answered.</summary>
    public async Task<string?> ProbeAsync(int port, string path, CancellationToken cancellationToken)
    {
        var run = new LoadProcess();
        await run.RunAsync(loadCore, binary, ["probe", "--port", port.ToString(CultureInfo.InvariantCulture), "--path", path, "--connect-timeout", "10"],
            TimeSpan.FromSeconds(30), null, cancellationToken);
        return LoadToolOutput.FindResult(run.Lines) is { } json && json.TryGetProperty("upgraded", out var upgraded) && upgraded.GetBoolean()
            ? null
            : LoadToolOutput.FindResult(run.Lines)?.Text("error") ?? "no answer";
    }
}
