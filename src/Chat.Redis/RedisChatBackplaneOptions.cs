using HostKit.Chat.Backplane;

namespace HostKit.Chat.Redis;

/// <summary>How <see cref="RedisChatBackplane"/> reaches Redis and keeps each room.</summary>
public sealed record RedisChatBackplaneOptions
{
    /// <summary>The Redis server, as <c>redis://HOST:PORT</c> (see <see cref="RedisAddress"/>). Required.</summary>
    public required string Address { get; init; }

    /// <summary>
    /// Events kept per room: the stream is trimmed with <c>XADD ... MAXLEN ~ HistoryLimit</c>, which keeps at least that many
    /// (Redis trims whole internal nodes, so a few more may stay). Use the chat's <see cref="ChatOptions.HistoryLimit"/>. Default 1000.
    /// </summary>
    public int HistoryLimit { get; init; } = 1000;

    /// <summary>
    /// How often a room's live feed reads the stream when no notification came. Notifications make new events arrive at
    /// once; this bounds how late one can be when a notification is lost (while the node's pub/sub connection is
    /// re-established after an outage). Default 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a sender's cids are remembered after its last message in a room (at most <see cref="IChatBackplane.RecentCidsPerSender"/>
    /// of them): a resend within this window is stored at most once. Default 1 hour.
    /// </summary>
    public TimeSpan CidWindow { get; init; } = TimeSpan.FromHours(1);
}
