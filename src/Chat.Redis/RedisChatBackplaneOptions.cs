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
    /// How long Redis may take to answer a PING before the backplane counts as unavailable (a Redis that hangs, not only one
    /// that is down): new chat connections get 503 and appends are refused at once until a PING is answered again. Default 2 s.
    /// </summary>
    public TimeSpan PingDeadline { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the backplane PINGs Redis while it answers. Default 1 s.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a sender's cids are remembered after its last message in a room (at most <see cref="IChatBackplane.RecentCidsPerSender"/>
    /// of them): a resend within this window is stored at most once. Default 1 hour.
    /// </summary>
    public TimeSpan CidWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often this node renews its presence (so its members stay listed in their rooms) and looks for nodes whose
    /// presence expired (whose members it then takes off, with a <c>leave</c> each). Use the chat's
    /// <see cref="ChatOptions.NodeHeartbeatInterval"/>. Default 5 s.
    /// </summary>
    public TimeSpan NodeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after its last renewal a node is taken for dead. Longer than <see cref="NodeHeartbeatInterval"/>. Use the
    /// chat's <see cref="ChatOptions.NodeExpiry"/>. Default 15 s.
    /// </summary>
    public TimeSpan NodeExpiry { get; init; } = TimeSpan.FromSeconds(15);
}
