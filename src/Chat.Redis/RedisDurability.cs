using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>
/// What the Redis behind the backplane keeps of an acknowledged message when it is restarted, read from its settings
/// (<c>CONFIG GET append*</c>) once it first answers, and said in the log. The chat acknowledges a message once Redis
/// answered its append; that the message outlives a Redis restart is then up to Redis, and only an append-only file
/// synced before each answer (<c>appendonly yes</c>, <c>appendfsync always</c>) keeps every acknowledged one.
/// docs/backplane.md#durability says what each setting loses.
/// </summary>
internal static class RedisDurability
{
    public static async Task ReportAsync(IDatabase database, string address, ILogger logger)
    {
        Dictionary<string, string> settings;
        try
        {
            // CONFIG may be renamed or refused (managed Redis services do): then nobody here can tell, and the log says so.
            var reply = (RedisResult[])(await database.ExecuteAsync("CONFIG", "GET", "append*"))!;
            settings = reply.Chunk(2).Where(pair => pair.Length == 2)
                .ToDictionary(pair => (string)pair[0]!, pair => (string?)pair[1] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or InvalidCastException or ArgumentException)
        {
            RedisChatLog.DurabilityUnknown(logger, address, ex.Message);
            return;
        }
        var appendOnly = settings.GetValueOrDefault("appendonly", "no");
        var fsync = settings.GetValueOrDefault("appendfsync", "?");
        if (!string.Equals(appendOnly, "yes", StringComparison.OrdinalIgnoreCase))
            RedisChatLog.NoAppendOnlyFile(logger, address, appendOnly);
        else if (!string.Equals(fsync, "always", StringComparison.OrdinalIgnoreCase))
            RedisChatLog.AppendOnlyFileSyncedLater(logger, address, fsync);
        else
            RedisChatLog.Durable(logger, address);
    }
}
