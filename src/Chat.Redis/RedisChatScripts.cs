namespace HostKit.Chat.Redis;

/// <summary>
/// The backplane's Lua scripts, shipped as files inside this assembly (Scripts/*.lua) so that docs/backplane.md can
/// quote them and a test can check the quote. StackExchange.Redis sends them with EVALSHA once loaded.
/// </summary>
internal static class RedisChatScripts
{
    /// <summary>Assigns the next id and appends the event: INCR, TIME, XADD with MAXLEN ~, PUBLISH.</summary>
    public static string Append { get; } = Load("append.lua");

    /// <summary>Reads the counter, the oldest kept entry and a range of entries at one instant.</summary>
    public static string Read { get; } = Load("read.lua");

    /// <summary>Lists a member in its room with its join, takes it off with its leave, or takes off every member of an expired node.</summary>
    public static string Presence { get; } = Load("presence.lua");

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
