using System.Diagnostics;
using HostKit.Benchmarks.EndToEnd;

namespace HostKit.Benchmarks.Profiling;

/// <summary>
/// <c>--profile</c>: a quick reading of the end-to-end figures outside BenchmarkDotNet, and where the bytes go.
/// For each server: warm up, then count the process's allocated bytes (<c>GC.GetTotalAllocatedBytes(precise: true)</c>,
/// every thread) over many plaintext requests and 32 B websocket echoes, less what the client's thread allocated
/// (<c>GC.GetAllocatedBytesForCurrentThread</c>: the client makes only blocking calls, so its allocations are all
/// on this thread), which leaves the server's share; then sample the allocations by type
/// (<see cref="AllocationTickListener"/>) to name the top sources.
/// </summary>
internal static class AllocationProfile
{
    private const int Warmup = 30_000;
    private const int Measured = 100_000;
    private const int Sampled = 300_000;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var only = args.SkipWhile(a => a != "--servers").Skip(1).FirstOrDefault()?.Split(',');
        var top = args.Contains("--types") ? 12 : 0;
        using var listener = top > 0 ? new AllocationTickListener() : null;
        Console.WriteLine($"{Measured:N0} operations per server after {Warmup:N0} of warm-up; bytes are every thread's, the client's included.");
        foreach (var (kind, servers) in new[] { ("plaintext", BenchServers.ForHttp()), ("ws-echo-32B", BenchServers.ForWebSockets()) })
        {
            Console.WriteLine();
            Console.WriteLine($"| {kind} | B/op, whole process | B/op, client thread | B/op, server | B/op, server, client pausing | µs/op (indicative) |");
            Console.WriteLine("| --- | --: | --: | --: | --: | --: |");
            foreach (var name in servers.Where(s => only is null || s == BenchServers.Trivial || only.Contains(s)))
            {
                await using var server = await BenchServers.StartAsync(name);
                Func<int> operation;
                IDisposable connection;
                if (kind == "plaintext")
                {
                    var c = PlaintextClient.Connect(server.Address);
                    (operation, connection) = (c.Request, c);
                }
                else
                {
                    var c = WebSocketEchoClient.Connect(server.Address, 32);
                    (operation, connection) = (c.Echo, c);
                }
                using (connection)
                {
                    Run(operation, Warmup);
                    var (bytes, client, micros) = Measure(operation, Measured);
                    // The same, with the client pausing before each operation so that the server is surely waiting
                    // (ClientPause says why the back-to-back count moves from run to run and this one does not).
                    Func<int> paused = () => { ClientPause.Spin(ClientPause.ServerWaits); return operation(); };
                    var (pausedBytes, pausedClient, _) = Measure(paused, Measured / 10);
                    Console.WriteLine($"| {name} | {bytes:F1} | {client:F1} | {bytes - client:F1} | {pausedBytes - pausedClient:F1} | {micros:F1} |");
                    if (top > 0 && name != BenchServers.Trivial)
                        Sample(operation, top);
                }
            }
        }
        return 0;
    }

    private static (double Process, double Client, double Micros) Measure(Func<int> operation, int count)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clientBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Run(operation, count);
        var elapsed = clock.Elapsed;
        var clientAfter = GC.GetAllocatedBytesForCurrentThread();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return ((after - before) / (double)count, (clientAfter - clientBefore) / (double)count, elapsed.TotalMicroseconds / count);
    }

    private static void Sample(Func<int> operation, int top)
    {
        AllocationTickListener.Start();
        Run(operation, Sampled);
        var types = AllocationTickListener.Stop();
        var total = types.Sum(t => t.Bytes);
        foreach (var (type, bytes) in types.Take(top))
            Console.WriteLine($"|   {type} | {100.0 * bytes / Math.Max(1, total):F0}% | | ~{bytes / (double)Sampled:F0} | | |");
    }

    private static void Run(Func<int> operation, int count)
    {
        for (var i = 0; i < count; i++)
            operation();
    }
}
