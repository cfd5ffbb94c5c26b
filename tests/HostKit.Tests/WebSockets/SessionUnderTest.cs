using System.Net.WebSockets;
using HostKit.Hosts;
using HostKit.Tests.Support;

namespace HostKit.Tests.WebSockets;

/// <summary>
/// A <see cref="WebSocketSession"/> over an in-memory connection, with the client's end as a plain
/// <see cref="WebSocket"/> and the server's writes under the test's control (<see cref="Writes"/>).
/// Keep-alive is off and the close timeout is ten minutes unless a test says otherwise, so a close
/// that waits for the timeout shows up as a test that does not finish, never as a slow pass.
/// </summary>
internal sealed class SessionUnderTest : IAsyncDisposable
{
    /// <summary>The bound on every wait in these tests: far longer than any correct step takes.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private SessionUnderTest(WebSocketSession session, WebSocket client, HeldWriteStream writes, CapturingLoggerProvider log)
    {
        Session = session;
        Client = client;
        Writes = writes;
        Log = log;
    }

    public WebSocketSession Session { get; }

    public WebSocket Client { get; }

    /// <summary>The server's end of the connection: <see cref="HeldWriteStream.Hold"/> stands for a peer that stopped reading.</summary>
    public HeldWriteStream Writes { get; }

    public CapturingLoggerProvider Log { get; }

    public static SessionUnderTest Start(Func<WebSocketOptions, WebSocketOptions>? configure = null)
    {
        var options = WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero, CloseTimeout = TimeSpan.FromMinutes(10) };
        options = configure?.Invoke(options) ?? options;
        var (server, client) = HeldWriteStream.CreateHeldPair();
        var log = new CapturingLoggerProvider();
        var session = WebSocketSession.FromStream(server, subProtocol: null, options, log.CreateLogger("session"));
        var clientSocket = WebSocket.CreateFromStream(client, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        return new SessionUnderTest(session, clientSocket, server, log);
    }

    /// <summary>The next whole message the client gets (type Close, no data, for the server's close frame).</summary>
    public Task<(WebSocketMessageType Type, byte[] Data)> ClientReceiveAsync() => Client.ReceiveMessageAsync();

    public Task ClientSendAsync(byte[] data, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        Client.SendAsync(data, type, endOfMessage: true, CancellationToken.None).WaitAsync(WaitLimit);

    /// <summary>A binary message of <paramref name="size"/> bytes, each <paramref name="marker"/>, so the client can tell messages apart.</summary>
    public static WebSocketMessage Message(int size, byte marker = 0) => WebSocketMessage.FromBinary(Enumerable.Repeat(marker, size).ToArray());

    public async ValueTask DisposeAsync()
    {
        Writes.Release();
        Session.Abort();
        await Session.DisposeAsync();
        Client.Dispose();
    }
}
