using HostKit.Chat;

namespace HostKit.Demo;

/// <summary>
/// The Demo application: the same app on every host. HTTP routes are plain functions of
/// (environ, start); websocket routes are mapped with <see cref="WebSocketRoutes"/>, which also
/// answers 426 to a plain GET on them.
/// </summary>
public static class DemoApp
{
    /// <summary>Builds the Demo application with a chat on its default settings.</summary>
    public static Application Create() => Create(new ChatServer());

    /// <summary>Builds the Demo application around <paramref name="chat"/> (served at <c>/ws/chat</c>, its page at <c>/</c>).</summary>
    public static Application Create(ChatServer chat)
    {
        var sockets = new WebSocketRoutes()
            .Map("/ws/echo", EchoSocket.HandleAsync)
            .MapChat(chat);
        return sockets.Wrap(HttpRoutes.Handle);
    }
}
