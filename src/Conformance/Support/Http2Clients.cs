using System.Net;
using System.Net.WebSockets;
using HttpVersion = System.Net.HttpVersion;

namespace HostKit.Conformance.Support;

/// <summary>
/// .NET's own HTTP/2 clients, pinned to HTTP/2 (<see cref="HttpVersionPolicy.RequestVersionExact"/>: h2c by prior knowledge on
/// <c>http://</c>, h2 by ALPN on <c>https://</c>), so that a case cannot pass over HTTP/1.1 by a silent fallback.
/// </summary>
public static class Http2Clients
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>An HttpClient that speaks HTTP/2 only, to <paramref name="address"/>.</summary>
    public static HttpClient Http(Uri address, SocketsHttpHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler())
        {
            BaseAddress = address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>A request pinned to HTTP/2 (a request made by hand does not take the client's default version).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path) =>
        new(method, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

    /// <summary>
    /// Opens a websocket over HTTP/2 (RFC 8441 extended CONNECT) to <paramref name="path"/> of <paramref name="address"/>;
    /// the socket, or null and the status the server answered with when it refused.
    /// </summary>
    public static Task<(WebSocket? Socket, HttpStatusCode Status)> TryConnectWebSocketAsync(Uri address, string path, params string[] subProtocols) =>
        TryConnectWebSocketAsync(address, path, _ => { }, subProtocols);

    /// <summary>Opens a websocket over HTTP/2 with options of the test's (<paramref name="configure"/>: compression...).</summary>
    public static async Task<(WebSocket? Socket, HttpStatusCode Status)> TryConnectWebSocketAsync(Uri address, string path, Action<ClientWebSocketOptions> configure, params string[] subProtocols)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var protocol in subProtocols)
            socket.Options.AddSubProtocol(protocol);
        configure(socket.Options);
        var uri = new Uri(new UriBuilder(address) { Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri, path);
        // The invoker is the socket's connection: it lives as long as the socket (disposing the socket ends its stream, not the connection).
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        try
        {
            await socket.ConnectAsync(uri, invoker, CancellationToken.None).WaitAsync(Timeout);
            return (socket, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            invoker.Dispose();
            return (null, status);
        }
    }

    /// <summary>Opens a websocket over HTTP/2, failing the test when the server refuses it.</summary>
    public static async Task<WebSocket> ConnectWebSocketAsync(Uri address, string path, params string[] subProtocols)
    {
        var (socket, status) = await TryConnectWebSocketAsync(address, path, subProtocols);
        return socket ?? throw new Xunit.Sdk.XunitException($"The websocket over HTTP/2 to {path} was refused with {(int)status}.");
    }
}
