using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut.Faults;

/// <summary>
/// The chat's promise under faults, as an outsider sees it: a kestrel node and a raw node on one real Redis, 20 members
/// (10 per node) each sending a numbered message every 200 ms with the default rate limit (10 per second), and one
/// fault in the middle. Afterwards every member's messages are checked against the answers it got and against what
/// every member received (<see cref="FaultLedger"/>). The counts go to the test output.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ChatFaultTests(ITestOutputHelper output)
{
    private const int MemberCount = 20;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan LoadBefore = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan LoadAfter = TimeSpan.FromSeconds(2);

    [Fact]
    public Task A_node_killed_with_SIGKILL_under_load() =>
        RunAsync("node kill -9", (redis, kestrel) => kestrel.KillAsync());

    [Fact]
    public Task A_node_paused_with_SIGSTOP_for_3_seconds_under_load() =>
        RunAsync("node SIGSTOP 3 s", async (redis, kestrel) =>
        {
            DemoProcess.Signal("STOP", kestrel.Pid);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(3));                    // the length of the fault, not a wait for a condition
            }
            finally
            {
                DemoProcess.Signal("CONT", kestrel.Pid);
            }
        });

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public Task Redis_paused_with_SIGSTOP_under_load(int seconds) =>
        RunAsync($"Redis SIGSTOP {seconds} s", async (redis, kestrel) =>
        {
            redis.Pause();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds));              // the length of the fault
            }
            finally
            {
                redis.Resume();
            }
        });

    [Fact]
    public Task Redis_killed_and_restarted_empty_under_load() =>
        RunAsync("Redis kill -9, restarted empty", async (redis, kestrel) =>
        {
            await redis.KillAsync();
            await redis.StartAgainAsync();
        }, redisLosesData: true);

    /// <summary>
    /// HostKit's promise across a Redis restart (docs/backplane.md#durability): with an append-only file synced before each
    /// answer, every acknowledged message is there when Redis comes back, with its id, in the same epoch: no gap, no reset.
    /// </summary>
    [Fact]
    public Task Redis_killed_and_restarted_from_its_append_only_file_under_load() =>
        RunAsync("Redis kill -9, restarted from its AOF (appendfsync always)", async (redis, kestrel) =>
        {
            await redis.KillAsync();
            await redis.StartAgainAsync();
        }, appendFsync: "always");

    /// <summary>
    /// Redis's default for its append-only file, <c>appendfsync everysec</c>: Redis answers before its writes are on disk, so
    /// a crash of its machine loses the last second or so of acknowledged messages, and their ids come back for new ones. The
    /// test plays that crash: it notes the file's length under load, waits until 40 more messages are acknowledged, kills
    /// Redis, cuts the file back to the noted length (what the disk would hold), and starts Redis on it. The rooms' scripts
    /// see a restarted Redis that could not vouch for its writes and start the room's log again: every member is told with a
    /// reset gap, no id is given twice silently, and every acknowledged message a member lacks was announced to it as lost.
    /// </summary>
    [Fact]
    public Task Redis_killed_and_restarted_from_an_append_only_file_that_lost_its_last_second_under_load() =>
        RunAsync("Redis kill -9, restarted from its AOF (appendfsync everysec) missing its last 40+ acknowledged messages", async (redis, kestrel, members) =>
        {
            var synced = redis.AppendOnlyFileLength();
            var ackedBefore = members.Sum(m => m.AckedCount);
            await Eventually.TrueAsync(() => members.Sum(m => m.AckedCount) >= ackedBefore + 40,
                "40 more messages acknowledged after the file's length was noted", TimeSpan.FromSeconds(20));
            await redis.KillAsync();
            var cut = redis.TruncateAppendOnlyFile(synced);
            output.WriteLine($"append-only file cut from {cut} to {synced} bytes");
            await redis.StartAgainAsync();
        }, redisLosesData: true, appendFsync: "everysec");

    private Task RunAsync(string fault, Func<RedisServer, DemoProcess, Task> inject, bool redisLosesData = false, string? appendFsync = null) =>
        RunAsync(fault, (redis, kestrel, _) => inject(redis, kestrel), redisLosesData, appendFsync);

    private async Task RunAsync(string fault, Func<RedisServer, DemoProcess, List<LoadMember>, Task> inject, bool redisLosesData = false, string? appendFsync = null)
    {
        await using var redis = appendFsync is null ? await RedisServer.StartAsync() : await RedisServer.StartWithAppendOnlyFileAsync(appendFsync);
        await using var kestrel = await DemoProcess.StartOnPortAsync(0, "kestrel", "--backplane", redis.Address);
        await using var raw = await DemoProcess.StartOnPortAsync(0, "raw", "--backplane", redis.Address);
        var members = Enumerable.Range(0, MemberCount)
            .Select(i => new LoadMember($"m{i:00}", "load", [kestrel.Address, raw.Address], firstNode: i % 2))
            .ToList();
        using var stop = new CancellationTokenSource();
        var running = members.Select(m => Task.Run(() => m.RunAsync(stop.Token))).ToList();
        try
        {
            await Task.WhenAll(members.Select(m => m.Joined)).WaitAsync(Settle);

            using var talking = new CancellationTokenSource();
            var load = members.Select(m => Task.Run(() => TalkAsync(m, talking.Token))).ToList();
            await Task.Delay(LoadBefore);
            await inject(redis, kestrel, members);
            await Task.Delay(LoadAfter);
            await talking.CancelAsync();
            await Task.WhenAll(load);

            // Every message answered (resending what has none, as a client does), then delivered everywhere.
            await WaitForAsync(async () =>
            {
                foreach (var member in members.Where(m => m.Unresolved > 0))
                    await member.ResendUnresolvedAsync();
                return members.All(m => m.Unresolved == 0);
            }, "every message acknowledged or refused", members);
            await WaitForAsync(() => Task.FromResult(FaultLedger.AllDelivered(members)), "every acknowledged message delivered to every member, or announced lost", members);

            var counts = FaultLedger.Check(members, expectReset: redisLosesData);
            output.WriteLine($"{fault}: {counts}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task TalkAsync(LoadMember member, CancellationToken talking)
    {
        using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await every.WaitForNextTickAsync(talking))
                await member.SayNextAsync();
        }
        catch (OperationCanceledException)
        {
            // The load phase is over.
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, List<LoadMember> members)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"Not within {Settle.TotalSeconds} s: {what}. Unresolved: {string.Join(", ", members.Where(m => m.Unresolved > 0).Select(m => $"{m.Name} {m.Unresolved}"))}");
            await Task.Delay(500);                                           // polling a condition, bounded by the deadline
        }
    }
}
