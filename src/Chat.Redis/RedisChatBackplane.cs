using System.Collections.Concurrent;
using System.Globalization;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>
/// The chat's rooms in Redis, shared by every node that points at the same server: a stream per room holds its
/// bounded log, a counter assigns its ids (the append script runs INCR and XADD atomically), and each node reads
/// the stream of every room it has members in. Nothing a node holds is needed by another, so a node can be killed
/// and restarted, or a client can resume on another node, without losing an event. docs/backplane.md is the format.
/// </summary>
/// <remarks>
/// While Redis is unreachable, or connected but not answering a PING within <see cref="RedisChatBackplaneOptions.PingDeadline"/>
/// (paused, hung), <see cref="IsAvailable"/> is false (new chat connections get 503), appends fail at once
/// with <see cref="ChatBackplaneUnavailableException"/> (the sender gets an <c>error</c> event), the outage is logged
/// once, and the live feeds wait; when Redis is back they read on from the last id they delivered.
/// </remarks>
public sealed class RedisChatBackplane : IChatBackplane
{
    private readonly ConnectionMultiplexer _redis;
    private readonly RedisChatBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RedisRoomFeed, bool> _feeds = new();
    // Two background loops, each with its own pace and job: the health loop below PINGs every PingInterval (is Redis
    // answering?), the presence heartbeat (RedisNodePresence) renews this node every NodeHeartbeatInterval.
    private readonly CancellationTokenSource _stop = new();
    private readonly RedisNodePresence _presence;
    private int _unreachable;
    // 1 while connected Redis does not answer PINGs in time; only the health loop writes it.
    private int _notAnswering;
    private Task _health = Task.CompletedTask;
    // Whether the Redis this node talks to syncs its append-only file before answering: 0 not known yet, 1 yes, 2 no (or
    // nobody can tell). Read once per connection (a restarted Redis may run with other settings) and passed to every script
    // that writes a room, which stamps the room with it (settle_room in event.lua, docs/backplane.md#durability).
    private int _synced;

    private RedisChatBackplane(ConnectionMultiplexer redis, RedisChatBackplaneOptions options, ILogger logger)
    {
        _redis = redis;
        _options = options;
        _logger = logger;
        _presence = new RedisNodePresence(this, options, logger);
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>
    /// Connects to Redis. Returns even when Redis cannot be reached yet: the backplane is then unavailable (503s) and
    /// keeps trying in the background, so a node can start before Redis does.
    /// </summary>
    /// <exception cref="FormatException"><see cref="RedisChatBackplaneOptions.Address"/> is not a Redis address.</exception>
    public static async Task<RedisChatBackplane> ConnectAsync(RedisChatBackplaneOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        return Started(await ConnectionMultiplexer.ConnectAsync(RedisAddress.Parse(options.Address)), options, loggerFactory);
    }

    /// <summary>Like <see cref="ConnectAsync"/>, for start-up code that cannot await (an application's build step).</summary>
    /// <exception cref="FormatException"><see cref="RedisChatBackplaneOptions.Address"/> is not a Redis address.</exception>
    public static RedisChatBackplane Connect(RedisChatBackplaneOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        return Started(ConnectionMultiplexer.Connect(RedisAddress.Parse(options.Address)), options, loggerFactory);
    }

    private static void Validate(RedisChatBackplaneOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.NodeHeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.NodeExpiry, options.NodeHeartbeatInterval);
    }

    private static RedisChatBackplane Started(ConnectionMultiplexer redis, RedisChatBackplaneOptions options, ILoggerFactory? loggerFactory)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("HostKit.Chat.Redis");
        var backplane = new RedisChatBackplane(redis, options, logger);
        RedisChatLog.Using(logger, options.Address);
        if (!redis.IsConnected)
            backplane.ReportUnreachable("no answer at start");
        backplane._health = Task.Run(backplane.WatchHealthAsync);
        backplane._presence.Start();
        return backplane;
    }

    /// <inheritdoc />
    public bool IsAvailable => _redis.IsConnected && Volatile.Read(ref _notAnswering) == 0;

    /// <inheritdoc />
    public async ValueTask<ChatEvent> AppendAsync(ChatPost post, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(post);
        var keys = new RedisChatKeys(post.Room);
        RedisValue[] values = post.Text is null
            // A join or leave has no text, and no cid: such a write cannot vouch for Redis's syncing (the presence script,
            // which writes joins and leaves here, can). '' stands for "none" up to the member id, ARGV[10].
            ? [_options.HistoryLimit, keys.Appended, TypeName(post.Type), post.Name, string.Empty, string.Empty, string.Empty, string.Empty,
               string.Empty, post.Member ?? string.Empty]
            // The cid is optional, but ARGV[9] (synced) and ARGV[10] (the member id) come after it: '' stands for "none".
            : [_options.HistoryLimit, keys.Appended, TypeName(post.Type), post.Name, post.Text, post.Cid ?? string.Empty,
               IChatBackplane.RecentCidsPerSender, (long)_options.CidWindow.TotalSeconds, await SyncedArgumentAsync(), post.Member ?? string.Empty];
        var result = await CallAsync(db => db.ScriptEvaluateAsync(RedisChatScripts.Append, [keys.LastId, keys.Events, keys.Epoch, keys.Cids(post.Name), keys.Written], values));
        var stored = (RedisResult[])result!;
        return new ChatEvent(post.Type, post.Room, post.Name, post.Text, (long)stored[0], (long)stored[1], RedisChatEntries.Epoch(stored[2]), post.Member);
    }

    /// <inheritdoc />
    /// <remarks>The member is listed under this node's id, which the node renews every <see cref="RedisChatBackplaneOptions.NodeHeartbeatInterval"/>.</remarks>
    public ValueTask<ChatPresence> JoinAsync(ChatPost join, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(join);
        return _presence.JoinAsync(join);
    }

    /// <inheritdoc />
    public ValueTask<ChatEvent?> LeaveAsync(ChatPresence presence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return _presence.LeaveAsync(presence);
    }

    /// <summary>The id this node lists its members under in Redis now (docs/backplane.md, presence).</summary>
    public string Node => _presence.Node;

    /// <inheritdoc />
    public async ValueTask<IChatSubscription> SubscribeAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        var feed = new RedisRoomFeed(this, room, _options.PollInterval, _logger);
        try
        {
            await feed.StartAsync();
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            await feed.DisposeAsync();
            throw Unavailable(ex);
        }
        _feeds[feed] = true;
        return feed;
    }

    /// <inheritdoc />
    public ValueTask<ChatHistory> ReadLatestAsync(string room, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ReadAsync(room, "latest", count, 0);
    }

    /// <inheritdoc />
    public ValueTask<ChatHistory> ReadAfterAsync(string room, long afterId, CancellationToken cancellationToken = default) =>
        ReadAsync(room, "after", afterId, 0);

    /// <summary>At most <paramref name="limit"/> kept events after <paramref name="afterId"/> (0: all), for a live feed.</summary>
    internal ValueTask<ChatHistory> ReadAfterAsync(string room, long afterId, int limit) => ReadAsync(room, "after", afterId, limit);

    internal ISubscriber Subscriber => _redis.GetSubscriber();

    internal void Forget(RedisRoomFeed feed) => _feeds.TryRemove(feed, out _);

    /// <summary>Closes the connection; every live feed completes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _presence.DisposeAsync();
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        await _health;
        foreach (var feed in _feeds.Keys)
            await feed.DisposeAsync();
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _redis.CloseAsync();
        _redis.Dispose();
        _stop.Dispose();
    }

    /// <summary>True for the failures that mean "Redis cannot be reached now", as opposed to a bug or a malformed entry.</summary>
    internal static bool IsOutage(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or ChatBackplaneUnavailableException or ObjectDisposedException;

    /// <summary>Runs read.lua: <paramref name="position"/> is a count for "latest", the last id the reader has for "after".</summary>
    private async ValueTask<ChatHistory> ReadAsync(string room, string mode, long position, int limit)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        var keys = new RedisChatKeys(room);
        // The first entry id to read is computed here, in 64-bit integers: Lua's numbers are doubles.
        RedisValue from = mode == "after"
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Clamp(position, 0, long.MaxValue - 1) + 1}-0")
            : position;
        var result = await CallAsync(db => db.ScriptEvaluateAsync(RedisChatScripts.Read, [keys.LastId, keys.Events, keys.Epoch, keys.Written], [mode, from, limit]));
        return RedisChatEntries.ToHistory(room, result, newestFirst: mode == "latest");
    }

    /// <summary>
    /// ARGV 'synced' for the scripts that write a room: this node knows Redis syncs its append-only file before answering.
    /// Read from Redis's settings the first time it is needed on a connection; '' while not known, or not so.
    /// </summary>
    internal async ValueTask<RedisValue> SyncedArgumentAsync()
    {
        var known = Volatile.Read(ref _synced);
        if (known == 0 && IsAvailable)
        {
            // Not known on this connection yet (a first append right after a reconnect reads it before writing). Null: Redis
            // did not answer, and the next call asks again.
            var synced = await RedisDurability.ReadAsync(_redis.GetDatabase(), _options.Address, _logger);
            known = synced switch { true => 1, false => 2, null => 0 };
            Interlocked.CompareExchange(ref _synced, known, 0);
        }
        return known == 1 ? (RedisValue)"synced" : RedisValue.EmptyString;
    }

    internal async Task<T> CallAsync<T>(Func<IDatabase, Task<T>> call)
    {
        // Failing at once while disconnected or hung (rather than after the command timeout) is what lets the sender hear
        // at once; and the command was never sent, so it certainly did not run.
        if (!IsAvailable)
            throw new ChatBackplaneUnavailableException($"the chat backplane (Redis at {_options.Address}) is unreachable", null, outcomeUnknown: false);
        try
        {
            return await call(_redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>
    /// The outage as the chat sees it. A command that went out and got no answer (a timeout, a connection lost after
    /// sending) may have run: its outcome is unknown. One that never left this node certainly did not run.
    /// </summary>
    private ChatBackplaneUnavailableException Unavailable(Exception inner)
    {
        if (inner is ChatBackplaneUnavailableException unavailable)
            return unavailable;
        var status = inner switch
        {
            RedisTimeoutException timeout => timeout.Commandstatus,
            RedisConnectionException connection => connection.CommandStatus,
            _ => CommandStatus.Unknown,
        };
        var unknown = status is not (CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog);
        return new($"the chat backplane (Redis at {_options.Address}) {(unknown ? "did not answer" : "is unreachable")}: {inner.Message}", inner, unknown);
    }

    private static string TypeName(ChatEventType type) => type switch
    {
        ChatEventType.Message => "message",
        ChatEventType.Join => "join",
        ChatEventType.Leave => "leave",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a chat event type"),
    };

    // The failure type (SocketClosed, UnableToConnect...) says enough; the exception's text is a page of client state.
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => ReportUnreachable(e.FailureType.ToString());

    private void ReportUnreachable(string failure)
    {
        // StackExchange.Redis reports every failed attempt of every connection; people need the first one only.
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
            RedisChatLog.Unreachable(_logger, _options.Address, failure);
    }

    /// <summary>
    /// PINGs Redis every <see cref="RedisChatBackplaneOptions.PingInterval"/>. A connection only tells when it drops; a Redis
    /// that is paused or hung keeps it open and answers nothing, and only a deadline on an answer notices that.
    /// </summary>
    private async Task WatchHealthAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (_redis.IsConnected)
                    await PingAsync(stop);
                await Task.Delay(_options.PingInterval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task PingAsync(CancellationToken stop)
    {
        var ping = _redis.GetDatabase().PingAsync();
        try
        {
            await ping.WaitAsync(_options.PingDeadline, stop);
            SetAnswering(true);
            if (Volatile.Read(ref _synced) == 0)
                await SyncedArgumentAsync();                                 // read and logged once Redis answers, not at the first append
            return;
        }
        catch (TimeoutException)
        {
            SetAnswering(false);
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            return; // disconnected: IsConnected says so, and the reconnect handler reports it
        }
        try
        {
            // The same PING answers the moment Redis resumes; or StackExchange.Redis times it out, and the next one is sent.
            await ping.WaitAsync(stop);
            SetAnswering(true);
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            // Still no answer: try again.
        }
    }

    private void SetAnswering(bool answering)
    {
        if (answering)
        {
            if (Interlocked.Exchange(ref _notAnswering, 0) == 1)
            {
                RedisChatLog.Reachable(_logger, _options.Address);
                foreach (var feed in _feeds.Keys)
                    feed.Wake();
            }
        }
        else if (Interlocked.Exchange(ref _notAnswering, 1) == 0)
        {
            RedisChatLog.NotAnswering(_logger, _options.Address, _options.PingDeadline);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (!_redis.IsConnected)
            return;
        if (Interlocked.Exchange(ref _unreachable, 0) == 1)
            RedisChatLog.Reachable(_logger, _options.Address);
        // Perhaps a restarted Redis, perhaps with other settings: read them again before the next write.
        Volatile.Write(ref _synced, 0);
        // Read what was stored while this node could not hear the notifications.
        foreach (var feed in _feeds.Keys)
            feed.Wake();
    }
}
