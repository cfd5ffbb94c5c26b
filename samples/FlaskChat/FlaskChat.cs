using System.Collections.Concurrent;

namespace HostKit.Samples.FlaskChat;

/// <summary>
/// samples/python/chat/flask_chat.py, line for line where HostKit allows: <c>GET /</c> serves the page, and every message
/// sent on <c>/chat</c> goes to every connected client. docs/coming-from-python.md sets the two side by side.
/// </summary>
public static class FlaskChat
{
    /// <summary>The chat as one HostKit application.</summary>
    public static Application Create()
    {
        var clients = new ConcurrentDictionary<IWebSocket, bool>(); // clients = set()
        var page = ReadPage();

        Application index = (environ, start) =>
        {
            if (environ.PathInfo != "/")
            {
                start(404, [("Content-Type", "text/plain")]);
                return Body.Of("404 Not Found\n");
            }
            start(200, [("Content-Type", "text/html; charset=utf-8")]);
            return Body.Of(page);
        };

        var sockets = new WebSocketRoutes();
        sockets.Map("/chat", async socket =>
        {
            clients[socket] = true;
            try
            {
                while (await socket.ReceiveAsync() is { } message)
                {
                    foreach (var client in clients.Keys)
                    {
                        // Never waits on a slow client: one whose send buffer is full (or that closed) leaves the set, as in the Python.
                        if (!client.TrySend(message))
                            clients.TryRemove(client, out _);
                    }
                }
            }
            finally
            {
                clients.TryRemove(socket, out _);
            }
        });
        return sockets.Wrap(index);
    }

    private static byte[] ReadPage()
    {
        using var stream = typeof(FlaskChat).Assembly.GetManifestResourceStream("index.html")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
