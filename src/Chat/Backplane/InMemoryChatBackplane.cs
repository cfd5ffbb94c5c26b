using System.Collections.Concurrent;
using System.Threading.Channels;

namespace HostKit.Chat.Backplane;

/// <summary>
/// The default backplane: every room's log in this process's memory, nothing to install. It serves one
/// process only, and its history is gone when the process stops (a resuming client then gets a <c>gap</c>, told by the
/// room's new epoch).
/// </summary>
/// <remarks>
/// Each room keeps its last <see cref="HistoryLimit"/> events in a ring. Appending, trimming and delivering to the
/// room's subscribers happen under the room's lock, which is what makes ids and delivery order agree.
/// Rooms are never forgotten while the process runs (that is what lets a client resume in an empty room);
/// memory grows with the number of rooms, each bounded by the history limit, and with the number of senders per room,
/// each remembered with at most <see cref="IChatBackplane.RecentCidsPerSender"/> cids.
/// A room's epoch is the time it was created here, in Unix microseconds: a restarted process makes new ones.
/// </remarks>
public sealed class InMemoryChatBackplane : IChatBackplane
{
    private readonly ConcurrentDictionary<string, RoomLog> _rooms = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty backplane.</summary>
    /// <param name="historyLimit">Events kept per room (<see cref="ChatOptions.HistoryLimit"/>).</param>
    /// <param name="timeProvider">The clock for each event's <c>ts</c>; the system clock when null.</param>
    public InMemoryChatBackplane(int historyLimit = 1000, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        HistoryLimit = historyLimit;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many events each room keeps.</summary>
    public int HistoryLimit { get; }

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <inheritdoc />
    public ValueTask<ChatEvent> AppendAsync(ChatPost post, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(post);
        return ValueTask.FromResult(Room(post.Room).Append(post, _time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <inheritdoc />
    public ValueTask<IChatSubscription> SubscribeAsync(string room, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IChatSubscription>(Room(room).Subscribe());

    /// <inheritdoc />
    public ValueTask<ChatHistory> ReadLatestAsync(string room, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ValueTask.FromResult(_rooms.TryGetValue(room, out var log) ? log.ReadLatest(count) : ChatHistory.Empty);
    }

    /// <inheritdoc />
    public ValueTask<ChatHistory> ReadAfterAsync(string room, long afterId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_rooms.TryGetValue(room, out var log) ? log.ReadAfter(afterId) : ChatHistory.Empty);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        foreach (var log in _rooms.Values)
            log.CompleteSubscribers();
        return ValueTask.CompletedTask;
    }

    private RoomLog Room(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return _rooms.GetOrAdd(room, static (_, backplane) => new RoomLog(backplane.HistoryLimit, backplane.NewEpoch()), this);
    }

    // Unix microseconds: unique per room creation in practice, and different after a restart of the process.
    private string NewEpoch() =>
        ((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One room: a ring of its newest events, indexed by id, its subscribers, and the cids its senders used lately.</summary>
    private sealed class RoomLog(int limit, string epoch)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, RecentCids> _cids = new(StringComparer.Ordinal);
        private ChatEvent[] _ring = new ChatEvent[Math.Min(limit, 16)];
        private int _count;
        private long _newestId;
        private Channel<ChatEvent>[] _subscribers = [];

        private long OldestKeptId => _newestId - _count + 1;

        public ChatEvent Append(ChatPost post, long ts)
        {
            lock (_gate)
            {
                RecentCids? recent = null;
                if (post.Cid is { } cid)
                {
                    if (!_cids.TryGetValue(post.Name, out recent))
                        _cids[post.Name] = recent = new RecentCids();
                    if (recent.TryGet(cid, out var firstId))
                        return firstId > OldestKeptId - 1 ? _ring[firstId % _ring.Length] : new ChatEvent(post.Type, post.Room, post.Name, post.Text, firstId, 0, epoch, post.Member);
                }
                var stored = new ChatEvent(post.Type, post.Room, post.Name, post.Text, _newestId + 1, ts, epoch, post.Member);
                recent?.Add(post.Cid!, stored.Id);
                if (_count == _ring.Length && _count < limit)
                    Grow();
                _ring[stored.Id % _ring.Length] = stored;
                _newestId = stored.Id;
                _count = Math.Min(_count + 1, limit);
                // Delivered under the lock: every subscriber sees ids in the order they were assigned.
                foreach (var subscriber in _subscribers)
                    subscriber.Writer.TryWrite(stored);
                return stored;
            }
        }

        public ChatHistory ReadLatest(int count)
        {
            lock (_gate)
                return Read(Math.Max(OldestKeptId, _newestId - count + 1));
        }

        public ChatHistory ReadAfter(long afterId)
        {
            lock (_gate)
                return Read(Math.Max(OldestKeptId, afterId + 1));
        }

        public IChatSubscription Subscribe()
        {
            var channel = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true });
            lock (_gate)
                _subscribers = [.. _subscribers, channel];
            return new Subscription(this, channel);
        }

        public void CompleteSubscribers()
        {
            lock (_gate)
            {
                foreach (var subscriber in _subscribers)
                    subscriber.Writer.TryComplete();
                _subscribers = [];
            }
        }

        private void Unsubscribe(Channel<ChatEvent> channel)
        {
            lock (_gate)
                _subscribers = [.. _subscribers.Where(c => c != channel)];
            channel.Writer.TryComplete();
        }

        private ChatHistory Read(long fromId)
        {
            var events = new ChatEvent[Math.Max(0, _newestId - fromId + 1)];
            for (var i = 0; i < events.Length; i++)
                events[i] = _ring[(fromId + i) % _ring.Length];
            return new ChatHistory(events, OldestKeptId, _newestId, epoch);
        }

        /// <summary>Doubles the ring (up to the limit) so that a room with little history holds little memory.</summary>
        private void Grow()
        {
            var larger = new ChatEvent[Math.Min(limit, _ring.Length * 2)];
            for (var id = OldestKeptId; id <= _newestId; id++)
                larger[id % larger.Length] = _ring[id % _ring.Length];
            _ring = larger;
        }

        /// <summary>A sender's latest cids in the room and the ids they were stored as, oldest forgotten first.</summary>
        private sealed class RecentCids
        {
            private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
            private readonly Queue<string> _order = new();

            public bool TryGet(string cid, out long id) => _ids.TryGetValue(cid, out id);

            public void Add(string cid, long id)
            {
                if (_order.Count == IChatBackplane.RecentCidsPerSender)
                    _ids.Remove(_order.Dequeue());
                _ids[cid] = id;
                _order.Enqueue(cid);
            }
        }

        private sealed class Subscription(RoomLog log, Channel<ChatEvent> channel) : IChatSubscription
        {
            public ChannelReader<ChatEvent> Events => channel.Reader;

            public ValueTask DisposeAsync()
            {
                log.Unsubscribe(channel);
                return ValueTask.CompletedTask;
            }
        }
    }
}
