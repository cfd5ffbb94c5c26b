namespace HostKit.Chat;

/// <summary>Mounts the chat on <see cref="WebSocketRoutes"/>.</summary>
public static class ChatRoutes
{
    /// <summary>
    /// Maps <paramref name="path"/> (default <c>/ws/chat</c>) to <paramref name="chat"/>: upgrades are checked before the
    /// handshake (403, 401, 400, 503), and a plain GET gets 426 like any websocket route.
    /// </summary>
    public static WebSocketRoutes MapChat(this WebSocketRoutes routes, ChatServer chat, string path = ChatServer.DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(chat);
        return routes.Map(path, chat.HandleAsync, new WebSocketRouteOptions { Authorize = chat.AuthorizeAsync, MaxMessageBytes = chat.Options.MaxMessageBytes });
    }
}
