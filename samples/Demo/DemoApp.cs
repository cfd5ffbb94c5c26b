namespace HostKit.Demo;

/// <summary>
/// The Demo application: the same app on every host. HTTP routes are plain functions of
/// (environ, start); websocket routes are mapped with <see cref="WebSocketRoutes"/>, which also
/// answers 426 to a plain GET on them.
/// </summary>
public static class DemoApp
{
    /// <summary>Builds the Demo application.</summary>
    public static Application Create()
    {
        var sockets = new WebSocketRoutes()
            .Map("/ws/echo", EchoSocket.HandleAsync);
        return sockets.Wrap(HttpRoutes.Handle);
    }
}
