using System.Net.WebSockets;

using HostKit.Hosts;

namespace HostKit.Testing.WebSockets;

/// <summary>
/// The websocket upgrade of the in-memory host: on accept, a connected pair of in-memory streams,
/// the server end wrapped in the same <see cref="WebSocketSession"/> every host uses, the client end
/// a plain <see cref="WebSocket"/> for the test.
/// </summary>
internal sealed class TestUpgrade(IReadOnlyList<string> subProtocols, Func<Stream, string?, WebSocketSession> createSession) : WebSocketUpgrade
{
    private readonly TaskCompletionSource<WebSocket> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebSocketSession? Session { get; private set; }

    /// <summary>Completes with the client's end once the application accepts.</summary>
    public Task<WebSocket> Client => _client.Task;

    public override IReadOnlyList<string> RequestedSubProtocols => subProtocols;

    protected override ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol)
    {
        var (server, client) = DuplexPipeStream.CreatePair();
        Session = createSession(server, subProtocol);
        _client.SetResult(WebSocket.CreateFromStream(client, new WebSocketCreationOptions
        {
            IsServer = false,
            SubProtocol = subProtocol,
            KeepAliveInterval = TimeSpan.Zero,
        }));
        return ValueTask.FromResult<IWebSocket>(Session);
    }
}
