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
