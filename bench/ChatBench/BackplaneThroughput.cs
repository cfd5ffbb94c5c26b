using System.Diagnostics;
using HostKit.Chat;
using HostKit.Chat.Redis;

namespace HostKit.ChatBench;

/// <summary>
/// Messages per second through the Redis backplane, with no websocket in the way: node A appends (the Lua script:
/// INCR, XADD, PUBLISH), node B's live feed of the room delivers. Both nodes are backplane instances in this process,
/// each with its own connection, as two processes would have.
/// </summary>
internal static class BackplaneThroughput
{
    private const int Messages = 20_000;

    public static async Task RunAsync(string address)
    {
        Console.WriteLine();
        Console.WriteLine("## Messages per second through the Redis backplane (append on node A, delivered by node B's feed)");
        Console.WriteLine();
        Console.WriteLine("| senders in flight | appended/s | delivered/s | append p50 | append p99 |");
        Console.WriteLine("| --: | --: | --: | --: | --: |");
        foreach (var concurrency in new[] { 1, 16, 64 })
            await MeasureAsync(address, concurrency, $"tp{concurrency}");
    }

    private static async Task MeasureAsync(string address, int concurrency, string room)
    {
        await using var nodeA = await RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions { Address = address });
        await using var nodeB = await RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions { Address = address });
        await using var feed = await nodeB.SubscribeAsync(room);
        await nodeA.AppendAsync(new ChatPost(ChatEventType.Message, room, "warm", "up"));
        await feed.Events.ReadAsync();

        var latencies = new double[Messages];
        var next = -1;
        var delivered = Task.Run(async () =>
        {
            for (var received = 0; received < Messages; received++)
                await feed.Events.ReadAsync();
            return Stopwatch.GetTimestamp();
        });
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Messages)
            {
                var sent = Stopwatch.GetTimestamp();
                await nodeA.AppendAsync(new ChatPost(ChatEventType.Message, room, "bench", "a message of about thirty bytes"));
                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        })));
        var appended = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var deliveredAt = await delivered;
        var deliveredSeconds = Stopwatch.GetElapsedTime(start, deliveredAt).TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine($"| {concurrency} | {Messages / appended:N0} | {Messages / deliveredSeconds:N0} | {Percentile(latencies, 0.50):N2} ms | {Percentile(latencies, 0.99):N2} ms |");
    }

    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
