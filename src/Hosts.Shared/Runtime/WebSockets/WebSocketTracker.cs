using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace HostKit.Hosts.Runtime;

/// <summary>The websockets a running server has open, so that a graceful stop can close them all with 1001.</summary>
public sealed class WebSocketTracker
{
    private readonly ConcurrentDictionary<IWebSocket, byte> _open = new();

    /// <summary>How many are open.</summary>
    public int Count => _open.Count;

    /// <summary>Tracks a socket the host just accepted.</summary>
    public void Add(IWebSocket socket) => _open.TryAdd(socket, 0);

    /// <summary>Forgets a socket whose application finished.</summary>
    public void Remove(IWebSocket socket) => _open.TryRemove(socket, out _);

    /// <summary>Closes every open socket with 1001 (going away) and waits for the close handshakes.</summary>
    public Task CloseAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_open.Keys.Select(async socket =>
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
            {
                socket.Abort();
            }
        }));
}
