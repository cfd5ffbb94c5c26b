using Microsoft.Extensions.Configuration;

namespace HostKit.Chat;

/// <summary>
/// How the chat behaves: who may connect, how much history is kept and replayed, and the limits
/// on what a member may send. Bound from the <c>HostKit:Chat</c> configuration section by
/// <see cref="FromConfiguration"/>; every default is listed in docs/chat.md.
/// </summary>
public sealed record ChatOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "HostKit:Chat";

    /// <summary>
    /// A token clients must give as <c>token=</c> in the query; a missing or wrong one is refused with 401
    /// before the upgrade. Null (the default) together with an empty <see cref="Tokens"/> means no token is needed.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>More accepted tokens, for rotating them without downtime; any one of these or <see cref="Token"/> is accepted. Default: none.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) whose pages may open a chat websocket, besides the server's own
    /// address, which is always allowed. <c>*</c> allows any origin. A request from another origin is refused
    /// with 403 (cross-site websocket hijacking); a request without <c>Origin</c> (not a browser) is allowed.
    /// Default: none, so only pages served by this server's own address.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>How many of a room's latest events a client gets on connect without <c>after</c>. Default 50.</summary>
    public int HistoryCount { get; init; } = 50;

    /// <summary>How many events a room keeps for history and resume; older ones are dropped (a resume from before them gets a <c>gap</c>). Default 1000.</summary>
    public int HistoryLimit { get; init; } = 1000;

    /// <summary>Messages a connection may send per second, sustained; as many may come in a burst. Over it the socket is closed with 1008. 0 turns the limit off. Default 10.</summary>
    public int MaxMessagesPerSecond { get; init; } = 10;

    /// <summary>Largest chat message a client may send, in UTF-8 bytes; a larger one closes the socket with 1009. Default 4096 (4 KiB).</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    /// <summary>
    /// How long a member closed as too slow (1013, its send buffer full) has to take the close: the 1013 goes out behind
    /// what its buffer holds, and a member that has not read up to it and answered by then is dropped. The room hears its
    /// <c>leave</c> within this time, whatever the host and however stuck the connection. Default 2 s.
    /// </summary>
    public TimeSpan SlowMemberCloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// With a shared backplane: how often a node renews its presence, so that the members connected to it stay listed in
    /// their rooms. At the same pace it looks for nodes that stopped renewing. Default 5 s.
    /// </summary>
    public TimeSpan NodeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With a shared backplane: how long after its last renewal a node is taken for dead; the other nodes then announce a
    /// <c>leave</c> for each of its members, once. Longer than <see cref="NodeHeartbeatInterval"/>; long enough to ride out a
    /// pause of the node or of Redis. Default 15 s.
    /// </summary>
    public TimeSpan NodeExpiry { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Where the rooms live: empty (the default) keeps them in this process (<see cref="Backplane.InMemoryChatBackplane"/>);
    /// <c>redis://HOST:PORT</c> shares them with every process pointed at that Redis (the <c>HostKit.Chat.Redis</c> package,
    /// docs/backplane.md). The chat library itself only reads the value; the application creates the backplane it names.
    /// </summary>
    public string? Backplane { get; init; }

    /// <summary>
    /// How long a shared backplane may take to answer its health check (Redis: a <c>PING</c>, sent every second) before it
    /// counts as unavailable: new members then get 503 and messages are refused at once with <c>not-stored</c>, as when it is
    /// down, instead of waiting on a server that hangs. Default 2 s.
    /// </summary>
    public TimeSpan BackplaneDeadline { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>True when <see cref="Backplane"/> names no shared backplane: the rooms live in this process only.</summary>
    public bool IsInProcess => string.IsNullOrWhiteSpace(Backplane) || string.Equals(Backplane.Trim(), "memory", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every accepted token: <see cref="Token"/> and <see cref="Tokens"/>, blanks left out. Empty when no token is needed.</summary>
    public IReadOnlyList<string> AcceptedTokens =>
        [.. Tokens.Append(Token).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).Distinct(StringComparer.Ordinal)];

    /// <summary>The defaults: no token, own origin only, 50 events of history out of 1000 kept, 10 messages per second, 4 KiB messages.</summary>
    public static ChatOptions Default { get; } = new();

    /// <summary>Reads the <c>HostKit:Chat</c> section of <paramref name="configuration"/>; absent keys keep their defaults.</summary>
    /// <exception cref="InvalidOperationException">A key is unknown or a value is malformed or out of range; the message names it.</exception>
    public static ChatOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = new ChatOptions();
        if (section.Exists())
        {
            RefuseUnknownKeys(section);
            try
            {
                section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"{SectionName} is not valid: {ex.Message}", ex);
            }
        }
        options.Validate();
        return options;
    }

    /// <summary>
    /// A key the chat does not read is an error in the chat's words, before the binder would say it in its own. (Under
    /// <c>HostRunner</c> the runner has refused it already, with a "did you mean"; this covers the chat used without it.)
    /// </summary>
    private static void RefuseUnknownKeys(IConfigurationSection section)
    {
        var names = typeof(ChatOptions).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        foreach (var key in section.GetChildren())
        {
            if (!names.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{key.Path} is not a chat setting: {SectionName} takes {string.Join(", ", names)} (docs/chat.md).");
        }
    }

    /// <summary>Checks that every value is in range.</summary>
    /// <exception cref="InvalidOperationException">A value is out of range; the message names its configuration key.</exception>
    public void Validate()
    {
        Check(HistoryLimit >= 1, nameof(HistoryLimit), HistoryLimit, "at least 1");
        Check(HistoryCount >= 0 && HistoryCount <= HistoryLimit, nameof(HistoryCount), HistoryCount, $"from 0 to HistoryLimit ({HistoryLimit})");
        Check(MaxMessagesPerSecond >= 0, nameof(MaxMessagesPerSecond), MaxMessagesPerSecond, "0 (no limit) or more");
        Check(MaxMessageBytes >= 1, nameof(MaxMessageBytes), MaxMessageBytes, "at least 1");
        CheckDuration(BackplaneDeadline, nameof(BackplaneDeadline));
        CheckDuration(SlowMemberCloseTimeout, nameof(SlowMemberCloseTimeout));
        CheckDuration(NodeHeartbeatInterval, nameof(NodeHeartbeatInterval));
        CheckDuration(NodeExpiry, nameof(NodeExpiry));
        if (NodeExpiry <= NodeHeartbeatInterval)
            throw new InvalidOperationException($"{SectionName}:{nameof(NodeExpiry)} = {NodeExpiry} is out of range: it must be longer than {nameof(NodeHeartbeatInterval)} ({NodeHeartbeatInterval}).");
        foreach (var origin in AllowedOrigins)
        {
            if (origin != "*" && !Uri.TryCreate(origin, UriKind.Absolute, out _))
                throw new InvalidOperationException($"{SectionName}:{nameof(AllowedOrigins)} has '{origin}', which is not an origin such as https://chat.example.com or '*'.");
        }

        static void Check(bool ok, string key, int value, string expected)
        {
            if (!ok)
                throw new InvalidOperationException($"{SectionName}:{key} = {value} is out of range: it must be {expected}.");
        }

        // A timer's range: more than zero, at most a day (anything longer is a typo for a shorter unit).
        static void CheckDuration(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
                throw new InvalidOperationException($"{SectionName}:{key} = {value} is out of range: it must be more than 00:00:00 and at most 1.00:00:00.");
        }
    }
}
