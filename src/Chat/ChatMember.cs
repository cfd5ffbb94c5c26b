using System.Net.WebSockets;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;

namespace HostKit.Chat;

/// <summary>
/// One connected member as its room's fan-out sees it: what it was sent last, and, until it has caught up with the
/// history, the live events that arrived meanwhile. Ids make the seam between history and live exact: an event at
/// or below the last id sent is a duplicate and is dropped; one further ahead than the next id is a gap and is announced.
/// </summary>
internal sealed class ChatMember(IWebSocket socket, string room, string name, string id, TimeSpan slowCloseTimeout, ILogger logger)
{
    /// <summary>RFC 6455's 1013 Try Again Later, which <see cref="WebSocketCloseStatus"/> does not name.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>Live events held while a member catches up; a member that needs more is too slow, as with a full send buffer.</summary>
    private const int MaxHeldEvents = 4096;

    private readonly Lock _gate = new();
    private List<(long Id, WebSocketMessage Json)>? _held = [];
    private long _lastSentId;
    private bool _closed;

    public string Name => name;

    /// <summary>The connection's member id (<see cref="ChatMemberId"/>), in its join, leave and message events.</summary>
    public string Id => id;

    /// <summary>
    /// Called by the room's fan-out for every live event, in id order, with the bytes shared by every member.
    /// Never waits: a member whose send buffer is full is closed with 1013, and the room goes on.
    /// </summary>
    public void Deliver(ChatEvent chatEvent, WebSocketMessage json)
    {
        // The member's own join, told apart by "you": true in its copy only, is how a client learns its member id.
        // Made from the room's bytes, not serialised again: the same bytes, one array and no copy of the event.
        if (chatEvent.Type == ChatEventType.Join && chatEvent.Member == Id)
            json = ChatWire.EncodeOwnJoin(json);
        var id = chatEvent.Id;
        lock (_gate)
        {
            if (_closed)
                return;
            if (_held is not null)
            {
                if (_held.Count < MaxHeldEvents)
                    _held.Add((id, json));
                else
                    CloseTooSlow();
                return;
            }
            if (id <= _lastSentId)
                return;
            if (id > _lastSentId + 1 && !TrySend(ChatWire.Encode(new GapNotice(room, _lastSentId, id))))
                return;
            if (TrySend(json))
                _lastSentId = id;
        }
    }

    /// <summary>
    /// Sends the history (after <paramref name="gap"/>, when the client missed events before it), then the live events held
    /// meanwhile that are newer, and from then on lets <see cref="Deliver"/> send directly. History goes out with
    /// <see cref="IWebSocket.SendAsync"/>: a slow reader slows only its own catching up.
    /// </summary>
    public async ValueTask CatchUpAsync(ChatHistory history, GapNotice? gap, CancellationToken cancellationToken)
    {
        if (gap is not null)
            await socket.SendAsync(ChatWire.Encode(gap), cancellationToken);
        foreach (var chatEvent in history.Events)
            await socket.SendAsync(ChatWire.Encode(chatEvent), cancellationToken);
        var lastId = history.NewestId;
        while (true)
        {
            List<(long Id, WebSocketMessage Json)> held;
            lock (_gate)
            {
                if (_closed || _held is null)
                    return;
                if (_held.Count == 0)
                {
                    _held = null;
                    _lastSentId = lastId;
                    return;
                }
                held = _held;
                _held = [];
            }
            foreach (var (id, json) in held)
            {
                if (id <= lastId)
                    continue;
                if (id > lastId + 1)
                    await socket.SendAsync(ChatWire.Encode(new GapNotice(room, lastId, id)), cancellationToken);
                await socket.SendAsync(json, cancellationToken);
                lastId = id;
            }
        }
    }

    /// <summary>Closes the member without waiting for the close handshake (the room's fan-out must not wait).</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            if (_closed)
                return;
            _closed = true;
        }
        _ = CloseQuietlyAsync(status, reason);
    }

    private bool TrySend(WebSocketMessage message)
    {
        if (socket.TrySend(message))
            return true;
        if (socket.CloseStatus is null)
            CloseTooSlow();
        else
            _closed = true; // it closed on its own; its connection is leaving the room
        return false;
    }

    private void CloseTooSlow()
    {
        _closed = true;
        ChatLog.MemberTooSlow(logger, room, name);
        _ = CloseTooSlowAsync();
    }

    /// <summary>
    /// The 1013 goes out behind what the member's buffer already holds, so it arrives only if the member reads on; one
    /// that does not (its connection stuck on a full socket buffer) is dropped at the deadline. Dropping ends the member's
    /// receive on every host, so its connection leaves the room, and the room hears the <c>leave</c>, within the deadline.
    /// </summary>
    private async Task CloseTooSlowAsync()
    {
        using var deadline = new CancellationTokenSource(slowCloseTimeout);
        try
        {
            await socket.CloseAsync(TryAgainLater, "too slow: send buffer full; reconnect with after", deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            socket.Abort();
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or WebSocketClosedException)
        {
            // The connection is gone already; its receive loop sees that and leaves the room.
        }
    }

    private async Task CloseQuietlyAsync(WebSocketCloseStatus status, string reason)
    {
        try
        {
            await socket.CloseAsync(status, reason);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The connection is gone already; its receive loop sees that and leaves the room.
        }
    }
}
