using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;

namespace HostKit.Chat;

/// <summary>
/// The rooms that have members in this process. A room is subscribed to while it has one, and forgotten (its
/// subscription disposed) when its last member here leaves; its history stays in the backplane.
/// </summary>
internal sealed class ChatRooms(IChatBackplane backplane, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChatRoom> _rooms = new(StringComparer.Ordinal);

    /// <summary>The room, subscribed. Pair each successful call with <see cref="Leave"/>.</summary>
    public async ValueTask<ChatRoom> EnterAsync(string name)
    {
        ChatRoom room;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(name, out room!) || room.HasFailed)
                _rooms[name] = room = new ChatRoom(name, backplane, logger);
            room.Users++;
        }
        try
        {
            await room.StartAsync();
            return room;
        }
        catch
        {
            Leave(room);
            throw;
        }
    }

    public void Leave(ChatRoom room)
    {
        lock (_gate)
        {
            if (--room.Users > 0)
                return;
            if (_rooms.TryGetValue(room.Name, out var current) && current == room)
                _rooms.Remove(room.Name);
        }
        _ = room.StopAsync();
    }
}
