using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>
/// What the Redis behind the backplane keeps of an acknowledged message when it is restarted, read from its settings
/// (<c>CONFIG GET append*</c>), and said in the log. The chat acknowledges a message once Redis answered its append; only an
/// append-only file synced before each answer (<c>appendonly yes</c>, <c>appendfsync always</c>) keeps every acknowledged
/// one across a restart. With any other setting, the scripts start a room's log again after a restart (a new epoch, a reset
/// gap to resuming members) rather than hand out again ids that may have been lost. docs/backplane.md#durability.
/// </summary>
internal static class RedisDurability
{
    /// <summary>Reads and logs the settings.</summary>
    /// <returns>
    /// True when Redis syncs before answering; false when it does not, or nobody can tell (<c>CONFIG</c> renamed or refused);
    /// null when Redis did not answer (ask again later).
    /// </returns>
    public static async Task<bool?> ReadAsync(IDatabase database, string address, ILogger logger)
    {
        Dictionary<string, string> settings;
        try
        {
            // CONFIG may be renamed or refused (managed Redis services do): then nobody here can tell, and the log says so.
            var reply = (RedisResult[])(await database.ExecuteAsync("CONFIG", "GET", "append*"))!;
            settings = reply.Chunk(2).Where(pair => pair.Length == 2)
                .ToDictionary(pair => (string)pair[0]!, pair => (string?)pair[1] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            return null;
        }
        catch (Exception ex) when (ex is RedisException or InvalidCastException or ArgumentException)
        {
            RedisChatLog.DurabilityUnknown(logger, address, ex.Message);
            return false;
        }
        var appendOnly = settings.GetValueOrDefault("appendonly", "no");
        var fsync = settings.GetValueOrDefault("appendfsync", "?");
        if (!string.Equals(appendOnly, "yes", StringComparison.OrdinalIgnoreCase))
        {
            RedisChatLog.NoAppendOnlyFile(logger, address, appendOnly);
            return false;
        }
        if (!string.Equals(fsync, "always", StringComparison.OrdinalIgnoreCase))
        {
            RedisChatLog.AppendOnlyFileSyncedLater(logger, address, fsync);
            return false;
        }
        RedisChatLog.Durable(logger, address);
        return true;
    }
}
