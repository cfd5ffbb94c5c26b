using System.Net.Sockets;
using System.Net.WebSockets;

namespace HostKit.Conformance.Support;

/// <summary>
/// Clients of a server on a unix domain socket: an <see cref="HttpClient"/> and a <see cref="ClientWebSocket"/> whose
/// connections go to the socket file (<see cref="SocketsHttpHandler.ConnectCallback"/>), the URL's host only filling in
/// <c>Host</c>; and short socket paths for tests, within <see cref="UnixSocketFile.MaxPathBytes"/>.
/// </summary>
public static class UnixSocketClient
{
    /// <summary>A fresh path for a test's socket, short enough for <c>sun_path</c> wherever <c>TMPDIR</c> points: under <c>/tmp</c>.</summary>
    public static string NewPath() => $"/tmp/hk-{Guid.NewGuid().ToString("N")[..12]}.sock";

    /// <summary>A handler that connects every request to the socket at <paramref name="path"/>.</summary>
    public static SocketsHttpHandler Handler(string path) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = await ConnectAsync(path, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    /// <summary>An HTTP client of the server at <paramref name="path"/>, addressing it as <c>http://localhost/</c>.</summary>
    public static HttpClient Http(string path) =>
        new(Handler(path)) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A websocket to <paramref name="target"/> (<c>/ws/echo</c>) on the server at <paramref name="path"/>.</summary>
    public static async Task<ClientWebSocket> ConnectWebSocketAsync(string path, string target)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        // Not disposed here: the upgraded connection came from its handler, and lives as long as the websocket.
        var invoker = new HttpMessageInvoker(Handler(path));
        try
        {
            await socket.ConnectAsync(new Uri(new Uri("ws://localhost/"), target), invoker, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connected stream socket to <paramref name="path"/>.</summary>
    public static async Task<Socket> ConnectAsync(string path, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
