using System.Globalization;
using System.Security.Cryptography;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>
/// This node's presence in Redis, so that a node that dies without a word (kill -9, a lost machine) does not leave its
/// members listed in their rooms forever. The node lists each member in its room under the node's id (presence.lua),
/// renews its own presence every heartbeat interval (nodes.lua), and at the same pace takes off the members of every
/// node whose presence expired, appending one <c>leave</c> for each. Taking a member off and appending its leave is one
/// script, so the leave is appended exactly once, whether by its own node or by any number of others at the same time.
/// </summary>
/// <remarks>
/// <para>
/// A node takes another's members off only after claiming it (nodes.lua), which an expired node can no longer renew past.
/// A node that finds itself claimed (it was paused, or cut off from Redis, for longer than the expiry) may have had its
/// members announced gone: it never uses that id again, registers under a new one, and ends the old presences
/// (<see cref="ChatPresence.Expired"/>), so those members reconnect and join again and the room's list stays true.
/// </para>
/// <para>
/// After Redis was out of reach every node's presence has expired by Redis's clock, though none died. So a node that
/// reaches Redis again after a failed beat first gives every unclaimed node a whole expiry from now (<c>grace</c>): every
/// live node then renews in time, whenever it reconnects within that expiry, and only the dead are left to claim.
/// </para>
/// </remarks>
internal sealed class RedisNodePresence : IAsyncDisposable
{
    private readonly RedisChatBackplane _backplane;
    private readonly RedisChatBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private volatile Incarnation _current = new(NewNodeId());
    // Leaves that could not be stored while Redis was out of reach: retried on each beat, so no member stays listed.
    private readonly System.Collections.Concurrent.ConcurrentQueue<ChatPresence> _unsentLeaves = new();
    private long _lastMember;
    // Set when a beat fails: the next one that reaches Redis gives every node a grace period first. Only the beat loop uses it.
    private bool _beatFailed;
    private Task _loop = Task.CompletedTask;

    public RedisNodePresence(RedisChatBackplane backplane, RedisChatBackplaneOptions options, ILogger logger)
    {
        _backplane = backplane;
        _options = options;
        _logger = logger;
    }

    /// <summary>The id the node lists its members under now.</summary>
    public string Node => _current.Node;

    private string ExpiryMilliseconds => ((long)_options.NodeExpiry.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts the heartbeat: registers at once (or as soon as Redis answers), then renews and looks for expired nodes.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    public async ValueTask<ChatPresence> JoinAsync(ChatPost join)
    {
        var incarnation = _current;
        if (!incarnation.IsRegistered)
            await RegisterAsync(incarnation);
        // Listed under the connection's member id, which its join and leave carry; a join posted without one (a backplane
        // used on its own) gets a number of this node's.
        var member = join.Member ?? Interlocked.Increment(ref _lastMember).ToString(CultureInfo.InvariantCulture);
        var keys = new RedisChatKeys(join.Room);
        // Listed in the node's rooms first: a node that dies right after is then found with this room, its member or not.
        await _backplane.CallAsync(db => db.SetAddAsync(RedisChatKeys.NodeRooms(incarnation.Node), join.Room));
        var appended = await RunPresenceAsync(keys, incarnation.Node, "join", member, join.Name);
        return new ChatPresence(ToEvent(ChatEventType.Join, join.Room, appended[0]), incarnation.Node, member, incarnation.Expired.Token);
    }

    /// <summary>Takes the member off with its leave; when Redis cannot be reached, throws and keeps trying on each beat.</summary>
    public async ValueTask<ChatEvent?> LeaveAsync(ChatPresence presence)
    {
        try
        {
            return await TryLeaveAsync(presence);
        }
        catch (ChatBackplaneUnavailableException)
        {
            _unsentLeaves.Enqueue(presence);
            throw;
        }
    }

    private async ValueTask<ChatEvent?> TryLeaveAsync(ChatPresence presence)
    {
        var appended = await RunPresenceAsync(new RedisChatKeys(presence.Join.Room), presence.Node, "leave", presence.Member);
        return appended.Length == 0 ? null : ToEvent(ChatEventType.Leave, presence.Join.Room, appended[0]);
    }

    /// <summary>Stores the leaves Redis could not take when they happened, oldest first; one still failing waits for the next beat.</summary>
    private async Task SendUnsentLeavesAsync()
    {
        while (_unsentLeaves.TryPeek(out var presence))
        {
            await TryLeaveAsync(presence);
            _unsentLeaves.TryDequeue(out _);
        }
    }

    /// <summary>Stops renewing; members still listed are taken off by the other nodes once the presence expires.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_options.NodeHeartbeatInterval);
        try
        {
            do
            {
                await BeatAsync();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            if (_beatFailed)
            {
                // Nobody could renew while this node could not reach Redis: everyone gets a whole expiry to do it now.
                await RunNodesAsync("grace", string.Empty, ExpiryMilliseconds);
                _beatFailed = false;
            }
            await RenewAsync();
            await SendUnsentLeavesAsync();
            await ExpireDeadNodesAsync();
        }
        catch (Exception ex) when (RedisChatBackplane.IsOutage(ex))
        {
            // The backplane logs the outage once; the next beat tries again.
            _beatFailed = true;
        }
        catch (Exception ex) when (ex is RedisServerException or InvalidCastException)
        {
            _beatFailed = true;
            RedisChatLog.PresenceFailed(_logger, ex);
        }
    }

    private async Task RenewAsync()
    {
        var incarnation = _current;
        if (!incarnation.IsRegistered)
        {
            await RegisterAsync(incarnation);
            return;
        }
        if ((int)await RunNodesAsync("renew", incarnation.Node, ExpiryMilliseconds) == 1)
            return;
        // Claimed: other nodes may have announced this node's members gone. Never come back under that id.
        var next = new Incarnation(NewNodeId());
        _current = next;
        RedisChatLog.PresenceExpired(_logger, incarnation.Node, _options.NodeExpiry, next.Node);
        await RegisterAsync(next);
        await incarnation.Expired.CancelAsync();
    }

    private async Task RegisterAsync(Incarnation incarnation)
    {
        await RunNodesAsync("register", incarnation.Node, ExpiryMilliseconds);
        incarnation.IsRegistered = true;
    }

    /// <summary>Claims every expired node and takes off its members, room by room, with a leave each; then forgets the node.</summary>
    private async Task ExpireDeadNodesAsync()
    {
        var expired = (RedisResult[])(await RunNodesAsync("expired"))!;
        foreach (var entry in expired)
        {
            var node = (string)entry!;
            if ((int)await RunNodesAsync("claim", node) == 0)
                continue;
            var rooms = await _backplane.CallAsync(db => db.SetMembersAsync(RedisChatKeys.NodeRooms(node)));
            var leaves = 0;
            foreach (var room in rooms)
                leaves += (await RunPresenceAsync(new RedisChatKeys((string)room!), node, "expire")).Length;
            // Nothing is added under a claimed id, so forgetting it now loses nothing; another node doing the same is harmless.
            await _backplane.CallAsync(db => db.KeyDeleteAsync(RedisChatKeys.NodeRooms(node)));
            await _backplane.CallAsync(db => db.SortedSetRemoveAsync(RedisChatKeys.Nodes, node));
            RedisChatLog.NodeExpired(_logger, node, leaves, rooms.Length);
        }
    }

    private Task<RedisResult> RunNodesAsync(params RedisValue[] arguments) =>
        _backplane.CallAsync(db => db.ScriptEvaluateAsync(RedisChatScripts.Nodes, [RedisChatKeys.Nodes], arguments));

    private async Task<RedisResult[]> RunPresenceAsync(RedisChatKeys keys, string node, params RedisValue[] arguments)
    {
        // ARGV[4] and ARGV[5] are the member and name where the mode has them, '' where not; ARGV[6] says whether Redis syncs.
        var modeArguments = arguments.Concat(Enumerable.Repeat((RedisValue)string.Empty, 3 - arguments.Length));
        RedisValue[] values = [_options.HistoryLimit, keys.Appended, .. modeArguments, await _backplane.SyncedArgumentAsync()];
        var result = await _backplane.CallAsync(db => db.ScriptEvaluateAsync(RedisChatScripts.Presence, [keys.LastId, keys.Events, keys.Epoch, keys.Members(node), keys.Written], values));
        return (RedisResult[])result!;
    }

    private static ChatEvent ToEvent(ChatEventType type, string room, RedisResult appended)
    {
        var fields = (RedisResult[])appended!;
        return new ChatEvent(type, room, (string)fields[2]!, null, (long)fields[0], (long)fields[1], RedisChatEntries.Epoch(fields[3]), fields.Length > 4 ? (string?)fields[4] : null);
    }

    /// <summary>A node id people can trace in Redis: the machine and process, and a random part so a restarted process never reuses one.</summary>
    private static string NewNodeId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");

    /// <summary>One id the node lists its members under, and the signal that ends their presences when that id expires.</summary>
    private sealed class Incarnation(string node)
    {
        public string Node { get; } = node;

        public CancellationTokenSource Expired { get; } = new();

        public volatile bool IsRegistered;
    }
}
