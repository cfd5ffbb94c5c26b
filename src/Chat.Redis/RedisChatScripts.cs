namespace HostKit.Chat.Redis;

/// <summary>
/// The backplane's Lua scripts, shipped as files inside this assembly (Scripts/*.lua) so that docs/backplane.md can
/// quote them and a test can check the quote. StackExchange.Redis sends them with EVALSHA once loaded.
/// </summary>
internal static class RedisChatScripts
{
    /// <summary>
    /// The steps every appended event takes (event.lua: id, time, epoch, XADD with MAXLEN ~, PUBLISH), and the check every
    /// script makes first (settle_room: did Redis restart since it last wrote the room, and may it have lost its newest
    /// events?), written once: the other room scripts are sent with it in front, since a Redis script cannot call another.
    /// </summary>
    public static string Event { get; } = Load("event.lua");

    /// <summary>append.lua as shipped, without <see cref="Event"/> in front (what docs/backplane.md quotes).</summary>
    public static string AppendBody { get; } = Load("append.lua");

    /// <summary>presence.lua as shipped, without <see cref="Event"/> in front (what docs/backplane.md quotes).</summary>
    public static string PresenceBody { get; } = Load("presence.lua");

    /// <summary>Appends a message, join or leave, remembering the sender's cid: <see cref="Event"/> then append.lua.</summary>
    public static string Append { get; } = Event + AppendBody;

    /// <summary>read.lua as shipped, without <see cref="Event"/> in front (what docs/backplane.md quotes).</summary>
    public static string ReadBody { get; } = Load("read.lua");

    /// <summary>
    /// Settles the room (<see cref="Event"/>'s <c>settle_room</c>), then reads the counter, the oldest kept entry and a range of
    /// entries at one instant.
    /// </summary>
    public static string Read { get; } = Event + ReadBody;

    /// <summary>Lists a member in its room with its join, takes it off with its leave, or takes off every member of an expired node.</summary>
    public static string Presence { get; } = Event + PresenceBody;

    /// <summary>Registers and renews a node's presence, and lists the nodes whose presence expired.</summary>
    public static string Nodes { get; } = Load("nodes.lua");

    private static string Load(string name)
    {
        using var stream = typeof(RedisChatScripts).Assembly.GetManifestResourceStream("HostKit.Chat.Redis.Scripts." + name)
            ?? throw new InvalidOperationException($"HostKit.Chat.Redis was built without its script Scripts/{name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
