using HostKit;

namespace HostKitApp;

/// <summary>The application: all it sees is the HostKit contract, so it runs unchanged on every host.</summary>
public static class App
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();

    /// <summary>Every request gets <c>Hello, World!</c>; a websocket on <c>/ws/echo</c> gets each of its messages back.</summary>
    public static Application Create()
    {
        Application app = (environ, start) =>
        {
            start(200, [("Content-Type", "text/plain")]);
            return Body.Of(Hello);
        };

        var sockets = new WebSocketRoutes();
        sockets.Map("/ws/echo", async ws =>
        {
            while (await ws.ReceiveAsync() is { } message)
                await ws.SendAsync(message);
        });

        return sockets.Wrap(app);
    }
}
