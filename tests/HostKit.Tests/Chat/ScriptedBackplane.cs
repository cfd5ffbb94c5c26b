using System.Threading.Channels;
using HostKit.Chat;
using HostKit.Chat.Backplane;

namespace HostKit.Tests.Chat;

/// <summary>
/// A backplane that misbehaves on purpose, within what <see cref="IChatBackplane"/> allows a real one to do (or a
/// little beyond, to check the room copes): it stores into a real in-memory log, but its live feed re-delivers old
/// events, repeats or drops some, and can be held back; and tests can act in the middle of a history read.
/// </summary>
public sealed class ScriptedBackplane : IChatBackplane
{
    private readonly InMemoryChatBackplane _log;

    public ScriptedBackplane(int historyLimit = 1000) => _log = new InMemoryChatBackplane(historyLimit);

    /// <summary>Runs inside every history read, before the log is read.</summary>
    public Func<Task>? BeforeRead { get; set; }

    /// <summary>Runs inside every history read, after the log was read and before the history is returned.</summary>
    public Func<Task>? AfterRead { get; set; }

    /// <summary>What the live feed delivers for each stored event (default: the event once).</summary>
    public Func<ChatEvent, IEnumerable<ChatEvent>> Deliver { get; set; } = e => [e];

    /// <summary>When set, the live feed waits for it before delivering anything (a lagging subscriber).</summary>
    public Task? HoldFeedUntil { get; set; }

    /// <summary>True: a new subscription first re-delivers every event the log keeps (allowed: members deduplicate).</summary>
    public bool ReplayOldEventsOnSubscribe { get; set; }

    public bool IsAvailable { get; set; } = true;

    /// <summary>When set, appends throw <see cref="ChatBackplaneUnavailableException"/>.</summary>
    public bool RefuseAppends { get; set; }

    public List<ChannelWriter<ChatEvent>> Feeds { get; } = [];

    /// <summary>When set, appends wait for it before storing (a backplane that stalls, as Redis paused does).</summary>
    public Task? HoldAppendsUntil { get; set; }

    /// <summary>When set, appends throw <see cref="ChatBackplaneUnavailableException"/> with this outcome (true: unknown) instead of storing.</summary>
    public bool? FailAppends { get; set; }

    /// <summary>When true, appends store the event and then throw as if the answer were lost (outcome unknown).</summary>
    public bool LoseAnswers { get; set; }

    public async ValueTask<ChatEvent> AppendAsync(ChatPost post, CancellationToken cancellationToken = default)
    {
        if (HoldAppendsUntil is { } hold)
            await hold;
        if (RefuseAppends)
            throw new ChatBackplaneUnavailableException("scripted outage");
        if (FailAppends is { } unknown)
            throw new ChatBackplaneUnavailableException("scripted outage", null, unknown);
        var stored = await _log.AppendAsync(post, cancellationToken);
        if (LoseAnswers && post.Type == ChatEventType.Message)
            throw new ChatBackplaneUnavailableException("scripted lost answer", null, outcomeUnknown: true);
        return stored;
    }

    /// <summary>Stores an event as another node would, without going through a connection.</summary>
    public Task<ChatEvent> PostAsync(string room, string name, string text) =>
        _log.AppendAsync(new ChatPost(ChatEventType.Message, room, name, text)).AsTask();

    public async ValueTask<IChatSubscription> SubscribeAsync(string room, CancellationToken cancellationToken = default)
    {
        var inner = await _log.SubscribeAsync(room, cancellationToken);
        var feed = Channel.CreateUnbounded<ChatEvent>();
        lock (Feeds)
            Feeds.Add(feed.Writer);
        if (ReplayOldEventsOnSubscribe)
        {
            foreach (var old in (await _log.ReadAfterAsync(room, 0, cancellationToken)).Events)
                feed.Writer.TryWrite(old);
        }
        var hold = HoldFeedUntil;
        _ = Task.Run(async () =>
        {
            try
            {
                if (hold is not null)
                    await hold;
                await foreach (var stored in inner.Events.ReadAllAsync())
                {
                    foreach (var delivered in Deliver(stored))
                        feed.Writer.TryWrite(delivered);
                }
                feed.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                feed.Writer.TryComplete(ex);
            }
        }, cancellationToken);
        return new Subscription(inner, feed);
    }

    public ValueTask<ChatHistory> ReadLatestAsync(string room, int count, CancellationToken cancellationToken = default) =>
        ReadAsync(() => _log.ReadLatestAsync(room, count, cancellationToken));

    public ValueTask<ChatHistory> ReadAfterAsync(string room, long afterId, CancellationToken cancellationToken = default) =>
        ReadAsync(() => _log.ReadAfterAsync(room, afterId, cancellationToken));

    public ValueTask DisposeAsync() => _log.DisposeAsync();

    private async ValueTask<ChatHistory> ReadAsync(Func<ValueTask<ChatHistory>> read)
    {
        if (BeforeRead is { } before)
            await before();
        var history = await read();
        if (AfterRead is { } after)
            await after();
        return history;
    }

    private sealed class Subscription(IChatSubscription inner, Channel<ChatEvent> feed) : IChatSubscription
    {
        public ChannelReader<ChatEvent> Events => feed.Reader;

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            feed.Writer.TryComplete();
        }
    }
}
