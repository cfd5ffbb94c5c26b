using System.Net.WebSockets;
using HostKit.Hosts;

namespace HostKit.Testing.WebSockets;

/// <summary>
/// The websocket upgrade of the in-memory host: on accept, a connected pair of in-memory streams,
/// the server end framed and wrapped as on every host, the client end a plain <see cref="WebSocket"/> for the test.
/// </summary>
internal sealed class TestUpgrade(IReadOnlyList<string> subProtocols, ResponseHead head, HostRuntime runtime)
    : HostWebSocketUpgrade(subProtocols, head, runtime)
{
    /// <summary>The response head of the upgrade request.</summary>
    public ResponseHead Head { get; } = head;

    private readonly TaskCompletionSource<WebSocket> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the client's end once the application accepts.</summary>
    public Task<WebSocket> Client => _client.Task;

    protected override ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var (server, client) = DuplexPipeStream.CreatePair();
        _client.SetResult(WebSocket.CreateFromStream(client, new WebSocketCreationOptions
        {
            IsServer = false,
            SubProtocol = subProtocol,
            KeepAliveInterval = TimeSpan.Zero,
        }));
        return ValueTask.FromResult(CreateFromStream(server, subProtocol));
    }
}
