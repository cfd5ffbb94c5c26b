using System.Globalization;
using System.Threading.Channels;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>
/// One node's live feed of one room: reads the room's stream on from the last id it delivered, whenever the room's
/// channel announces an append, and at least every poll interval. The stream is the only source of truth; the
/// notification only says "read now", so a lost one delays an event by one poll and never loses it, and after an
/// outage the feed reads on from where it stopped.
/// </summary>
/// <remarks>
/// Why not <c>XREAD BLOCK</c>: a blocking read needs a connection of its own (StackExchange.Redis multiplexes every
/// command over one), and one blocked read serving every room of a node cannot add a room without being woken by
/// another connection. Pub/sub is multiplexed, re-subscribed after a reconnect by StackExchange.Redis, and one read
/// per notification batches every event appended meanwhile.
/// </remarks>
internal sealed class RedisRoomFeed : IChatSubscription
{
    /// <summary>Entries read per round trip while catching up.</summary>
    private const int BatchSize = 500;

    private readonly RedisChatBackplane _backplane;
    private readonly string _room;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly RedisChannel _channel;
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    // A full channel of one: any number of notifications while a read runs make one more read, not one each.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<RedisChannel, RedisValue> _onAppended;
    private long _lastId;
    // The incarnation of the room's log this feed delivers from; another one means Redis lost the room (see ReadNewAsync).
    private string? _epoch;
    private Task _loop = Task.CompletedTask;

    public RedisRoomFeed(RedisChatBackplane backplane, string room, TimeSpan pollInterval, ILogger logger)
    {
        _backplane = backplane;
        _room = room;
        _pollInterval = pollInterval;
        _logger = logger;
        _channel = RedisChannel.Literal(new RedisChatKeys(room).Appended);
        _onAppended = (_, id) => OnAppended(id);
    }

    public ChannelReader<ChatEvent> Events => _events.Reader;

    /// <summary>
    /// Subscribes to the room's channel, then reads the newest id: every event appended from then on has a greater id,
    /// and its notification reaches a subscription that is already in place.
    /// </summary>
    public async Task StartAsync()
    {
        await _backplane.Subscriber.SubscribeAsync(_channel, _onAppended);
        var now = await _backplane.ReadLatestAsync(_room, 0);
        (_lastId, _epoch) = (now.NewestId, now.Epoch);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Reads the stream soon, whatever the last notification said (after a reconnect).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        _backplane.Forget(this);
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        try
        {
            await _backplane.Subscriber.UnsubscribeAsync(_channel, _onAppended);
        }
        catch (Exception ex) when (RedisChatBackplane.IsOutage(ex))
        {
            // Unreachable: the subscription went with the connection, and will not be restored for a removed handler.
        }
        await _loop;
        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private void OnAppended(RedisValue id)
    {
        // The payload is the new id; an event already delivered needs no read.
        if (long.TryParse((string?)id, NumberStyles.None, CultureInfo.InvariantCulture, out var appended) && appended <= Volatile.Read(ref _lastId))
            return;
        Wake();
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await WaitForWorkAsync(stop);
                if (stop.IsCancellationRequested)
                    break;
                try
                {
                    await ReadNewAsync();
                }
                catch (Exception ex) when (RedisChatBackplane.IsOutage(ex))
                {
                    // The backplane logged the outage once; read on from _lastId on the next notification or poll.
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not an outage (a malformed entry, a reset log): the room closes its members here with 1011 and logs it.
            _events.Writer.TryComplete(ex);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stop)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stop);
        poll.CancelAfter(_pollInterval);
        try
        {
            await _wake.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException)
        {
            // The poll interval passed (or the feed stops): read anyway.
        }
    }

    private async Task ReadNewAsync()
    {
        if (!_backplane.IsAvailable)
            return;
        while (true)
        {
            var history = await _backplane.ReadAfterAsync(_room, _lastId, BatchSize);
            // A new epoch, or ids below those delivered: Redis lost the room, and what it now holds is a new incarnation,
            // even when its ids have passed the ones delivered. Its events are never passed on as if they followed.
            if (history.NewestId < _lastId || (_epoch is not null && history.Epoch != _epoch))
            {
                RedisChatLog.RoomReset(_logger, _room, history.NewestId, _lastId);
                throw new InvalidDataException($"the log of room '{_room}' in Redis was reset: its epoch is '{history.Epoch}' (was '{_epoch}'), its newest id {history.NewestId} (delivered {_lastId})");
            }
            _epoch ??= history.Epoch;
            foreach (var chatEvent in history.Events)
                _events.Writer.TryWrite(chatEvent);
            if (history.Events.Count > 0)
                Volatile.Write(ref _lastId, history.Events[^1].Id);
            if (history.Events.Count < BatchSize)
                return;
        }
    }
}
