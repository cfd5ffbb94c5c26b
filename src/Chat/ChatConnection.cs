using System.Net.WebSockets;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;

namespace HostKit.Chat;

/// <summary>
/// One member's connection from start to end: enter the room, catch up (history or resume), announce the join,
/// relay what the member says (<see cref="ChatRelay"/>), announce the leave.
/// </summary>
internal sealed class ChatConnection(IWebSocket socket, ChatRequest request, ChatServer chat)
{
    private readonly ChatOptions _options = chat.Options;
    private readonly IChatBackplane _backplane = chat.Backplane;
    private readonly ILogger _logger = chat.Logger;

    public async ValueTask RunAsync()
    {
        var member = new ChatMember(socket, request.Room, request.Name, ChatMemberId.New(), _options.SlowMemberCloseTimeout, _logger);
        ChatRoom room;
        try
        {
            room = await chat.Rooms.EnterAsync(request.Room);
        }
        catch (ChatBackplaneUnavailableException ex)
        {
            // Reachable when the upgrade was checked, gone since: the client retries as after any 1011.
            await CloseUnavailableAsync(ex);
            return;
        }
        ChatPresence? presence = null;
        try
        {
            // Subscribed first, then listed in the room (holding live events), then the history is read:
            // whatever is stored from here on reaches the member live, whatever was stored before is in the history,
            // and ids sort out the overlap.
            room.Add(member);
            var (history, gap) = await ReadHistoryAsync();
            await member.CatchUpAsync(history, gap, CancellationToken.None);
            presence = await _backplane.JoinAsync(new ChatPost(ChatEventType.Join, request.Room, request.Name, Member: member.Id));
            // Taken for dead with its node, the member may have been announced gone: it reconnects and joins again.
            using var expired = presence.Expired.Register(() => member.Close(WebSocketCloseStatus.InternalServerError, "presence expired; reconnect with after"));
            await new ChatRelay(socket, request, member.Id, chat).RunAsync();
        }
        catch (WebSocketClosedException)
        {
            // The member went away (or was closed as too slow) while being sent to.
        }
        catch (ChatBackplaneUnavailableException ex) when (presence is null)
        {
            await CloseUnavailableAsync(ex);
        }
        finally
        {
            room.Remove(member);
            chat.Rooms.Leave(room);
            if (presence is not null)
                await TryLeaveAsync(presence);
        }
    }

    /// <summary>
    /// Without <c>after</c>: the latest events. With it: what is newer, announcing a gap when the room no longer keeps
    /// everything since. When the client's ids belong to another incarnation of the room's log (its <c>epoch</c> is not
    /// the room's, or, for a client that sends none, its id is beyond the room's newest), it gets a reset gap and
    /// everything the room keeps, which it takes as its new baseline.
    /// </summary>
    private async ValueTask<(ChatHistory History, GapNotice? Gap)> ReadHistoryAsync()
    {
        if (request.After is not { } after)
            return (await _backplane.ReadLatestAsync(request.Room, _options.HistoryCount), null);
        var history = await _backplane.ReadAfterAsync(request.Room, after);
        var otherIncarnation = request.Epoch is { } epoch ? epoch != history.Epoch : after > history.NewestId;
        if (otherIncarnation || after > history.NewestId)
        {
            var everything = await _backplane.ReadAfterAsync(request.Room, 0);
            return (everything, new GapNotice(request.Room, after, everything.NextId, Reset: true));
        }
        return (history, after < history.OldestKeptId - 1 ? new GapNotice(request.Room, after, history.NextId) : null);
    }

    private async ValueTask CloseUnavailableAsync(ChatBackplaneUnavailableException ex)
    {
        ChatLog.EventNotStored(_logger, request.Room, ex.Message);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "chat backplane unavailable; reconnect with after");
        }
        catch (WebSocketClosedException)
        {
            // Gone already.
        }
    }

    private async ValueTask TryLeaveAsync(ChatPresence presence)
    {
        try
        {
            await _backplane.LeaveAsync(presence);
        }
        catch (ChatBackplaneUnavailableException ex)
        {
            ChatLog.EventNotStored(_logger, presence.Join.Room, ex.Message);
        }
    }
}
