using HostKit.Chat.Redis;
using HostKit.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HostKit.Tests.ScaleOut;

/// <summary>
/// The Redis backplane says at start what Redis keeps of an acknowledged message across a restart, read from the real
/// redis-server's settings: no append-only file, one synced after answering, or one synced before (docs/backplane.md#durability).
/// </summary>
public class RedisDurabilityTests
{
    [Theory]
    [InlineData(null, 128, "keeps no append-only file (appendonly no)")]
    [InlineData("everysec", 129, "appendfsync everysec, after answering")]
    [InlineData("always", 130, "acknowledged messages survive a Redis restart")]
    public async Task The_backplane_logs_whether_acknowledged_messages_survive_a_Redis_restart(string? appendFsync, int eventId, string says)
    {
        await using var redis = appendFsync is null ? await RedisServer.StartAsync() : await RedisServer.StartWithAppendOnlyFileAsync(appendFsync);
        var log = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        await using var backplane = await RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions { Address = redis.Address }, loggers);

        var line = await log.WaitForAsync(e => e.EventId.Id is >= 128 and <= 131, TimeSpan.FromSeconds(20));
        Assert.Equal(eventId, line.EventId.Id);
        Assert.Contains(says, line.Message, StringComparison.Ordinal);
        Assert.Contains(redis.Address, line.Message, StringComparison.Ordinal);
    }
}
