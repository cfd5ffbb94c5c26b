namespace HostKit.Chat.Backplane;

/// <summary>
/// Where a chat's rooms live: the ordered, bounded log of each room's events, the ids, and the live feed
/// that drives every node's fan-out. The room logic holds no state of its own beyond the members connected
/// to this process, so several processes sharing one backplane form one chat.
/// </summary>
/// <remarks>
/// <para>What an implementation must guarantee, per room:</para>
/// <list type="bullet">
/// <item><see cref="AppendAsync"/> assigns ids atomically: 1 for the room's first event, then one more per event,
/// whatever node appends (Redis: <c>INCR</c> and <c>XADD</c> in one Lua script).</item>
/// <item>A message whose <see cref="ChatPost.Cid"/> the same sender used recently in the room (at least its last
/// <see cref="RecentCidsPerSender"/>) in the room's current log is not stored again: the append returns the event stored
/// the first time. The check and the append are one atomic step, whatever node sends the resend.</item>
/// <item>Every event and history carries the room's epoch: ids count from 1 again in a new incarnation of the room's log
/// (lost data, data the backplane cannot vouch for, a restarted process), and the epoch is how a resuming client learns
/// that its ids belong to an old one. An id is never given to two events in one epoch.</item>
/// <item>A subscription delivers every event stored after <see cref="SubscribeAsync"/> returned, in id order.
/// It may also deliver some stored before, and may repeat one: members deduplicate by id.</item>
/// <item>The history reads see the log as of one instant: their events are contiguous and end at
/// <see cref="ChatHistory.NewestId"/>.</item>
/// </list>
/// <para>A node subscribes once per room it has members in, not once per member, and sends what the
/// subscription delivers; the sender's own message reaches it the same way. docs/chat.md describes how a
/// Redis Streams backplane maps onto these calls.</para>
/// </remarks>
public interface IChatBackplane : IAsyncDisposable
{
    /// <summary>
    /// False while the backplane cannot be reached: new chat connections are then refused with 503.
    /// Always true for <see cref="InMemoryChatBackplane"/>.
    /// </summary>
    bool IsAvailable { get; }

    /// <summary>How many of a sender's latest cids per room every backplane remembers at least, to store each message once.</summary>
    public const int RecentCidsPerSender = 1000;

    /// <summary>
    /// Stores an event at the end of its room's log and returns it with its id and time; for a message whose cid the sender
    /// used recently, stores nothing and returns the event stored the first time (its id; its time when still kept, else 0).
    /// </summary>
    /// <exception cref="ChatBackplaneUnavailableException">
    /// The event could not be stored: it was not, or, when <see cref="ChatBackplaneUnavailableException.OutcomeUnknown"/>,
    /// nobody can tell yet (the sender is told which).
    /// </exception>
    ValueTask<ChatEvent> AppendAsync(ChatPost post, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts the live feed of <paramref name="room"/>. Returns once every event stored from now on is sure to be
    /// delivered. The feed completes when the subscription is disposed, or with an exception when the backplane fails.
    /// </summary>
    ValueTask<IChatSubscription> SubscribeAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>The room's latest <paramref name="count"/> kept events (fewer when it keeps fewer), oldest first.</summary>
    ValueTask<ChatHistory> ReadLatestAsync(string room, int count, CancellationToken cancellationToken = default);

    /// <summary>Every kept event of the room with an id greater than <paramref name="afterId"/>, oldest first.</summary>
    ValueTask<ChatHistory> ReadAfterAsync(string room, long afterId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a member's <c>join</c> and lists the member as present in its room, until <see cref="LeaveAsync"/>, or until its
    /// node stops renewing its presence (it was killed) and another node announces the <c>leave</c> in its place.
    /// The default appends the join only: the members of a backplane in this process go with its process.
    /// </summary>
    /// <param name="join">The <see cref="ChatEventType.Join"/> post.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ChatBackplaneUnavailableException">Nothing was stored.</exception>
    async ValueTask<ChatPresence> JoinAsync(ChatPost join, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(join);
        return new ChatPresence(await AppendAsync(join, cancellationToken), string.Empty, string.Empty, CancellationToken.None);
    }

    /// <summary>
    /// Takes the member off its room's list and appends its <c>leave</c>, unless it is off the list already (its <c>leave</c>
    /// was announced by another node): each join gets exactly one leave. Returns the leave, or null when there was none to append.
    /// The default appends the leave.
    /// </summary>
    /// <param name="presence">What <see cref="JoinAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ChatBackplaneUnavailableException">Nothing was stored.</exception>
    async ValueTask<ChatEvent?> LeaveAsync(ChatPresence presence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return await AppendAsync(new ChatPost(ChatEventType.Leave, presence.Join.Room, presence.Join.Name, Member: presence.Join.Member), cancellationToken);
    }
}
