namespace HostKit.Chat.Redis;

/// <summary>
/// The Redis names of one room (docs/backplane.md). The room is in braces, a Redis Cluster hash tag, so that the
/// counter and the stream of a room live on the same shard and one script can touch both.
/// </summary>
/// <param name="Room">The room, as in <c>/ws/chat?room=</c> (1 to 64 of <c>A-Z a-z 0-9 _ -</c>: no brace can occur).</param>
internal readonly record struct RedisChatKeys(string Room)
{
    /// <summary>Every HostKit chat name starts with this.</summary>
    public const string Prefix = "hostkit:chat:";

    /// <summary>The room's id counter: a string holding the last id assigned (absent: none yet).</summary>
    public string LastId => $"{Prefix}{{{Room}}}:last-id";

    /// <summary>The room's log: a stream whose entry ids are <c>ID-0</c>.</summary>
    public string Events => $"{Prefix}{{{Room}}}:events";

    /// <summary>The incarnation of the room's log: written by the first append after the room's data was lost (or first created).</summary>
    public string Epoch => $"{Prefix}{{{Room}}}:epoch";

    /// <summary>
    /// The run of Redis that last wrote the room (its <c>run_id</c>, and <c>synced</c> while every writer of that run knew it
    /// syncs its append-only file before answering): how a script tells that Redis restarted since, and may have lost the
    /// room's newest events (docs/backplane.md#durability).
    /// </summary>
    public string Written => $"{Prefix}{{{Room}}}:written";

    /// <summary>A sender's recent cids in the room: a sorted set of <c>EPOCH/cid</c> to id, bounded and expiring (the append script keeps it).</summary>
    public string Cids(string name) => $"{Prefix}{{{Room}}}:cids:{name}";

    /// <summary>The pub/sub channel told the new id after every append, so nodes read at once instead of at their next poll.</summary>
    public string Appended => $"{Prefix}{{{Room}}}:appended";

    /// <summary>Every node with members listed in a room: a sorted set, node -> when its presence expires (Unix ms).</summary>
    public const string Nodes = Prefix + "nodes";

    /// <summary>The members <paramref name="node"/> has in the room: a hash, member id -> name. In the room's hash slot.</summary>
    public string Members(string node) => $"{Prefix}{{{Room}}}:members:{node}";

    /// <summary>The rooms where <paramref name="node"/> has listed members: a set, so that another node can find them when it expires.</summary>
    public static string NodeRooms(string node) => $"{Prefix}node:{node}:rooms";
}
