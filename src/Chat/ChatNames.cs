namespace HostKit.Chat;

/// <summary>The rules for room and member names (docs/chat.md), for programs that post into a room without a websocket.</summary>
public static class ChatNames
{
    /// <summary>True for 1 to 64 characters from <c>A-Z a-z 0-9 _ -</c>.</summary>
    public static bool IsValidRoom(string? room) => room is not null && ChatRequest.RoomPattern().IsMatch(room);

    /// <summary>True for 1 to 32 printable characters, at least one of them visible (not only spaces or combining marks).</summary>
    public static bool IsValidName(string? name) => name is not null && ChatRequest.IsPrintableName(name);
}
