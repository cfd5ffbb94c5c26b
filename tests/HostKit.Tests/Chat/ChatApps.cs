using HostKit.Chat;

namespace HostKit.Tests.Chat;

/// <summary>The chat on its own route, every other request 404: the app the chat tests serve.</summary>
public static class ChatApps
{
    public static Application Create(ChatServer chat) =>
        new WebSocketRoutes().MapChat(chat).Wrap((_, start) =>
        {
            start(404, [("Content-Type", "text/plain")]);
            return Body.Copy("not found"u8);
        });

    public static string Path(string room, string name, long? after = null, string? token = null) =>
        $"/ws/chat?room={Uri.EscapeDataString(room)}&name={Uri.EscapeDataString(name)}" +
        (after is { } a ? $"&after={a}" : "") + (token is null ? "" : $"&token={Uri.EscapeDataString(token)}");
}
