namespace HostKit.Hosts.Runtime;

/// <summary>
/// The environ of a host whose engine parses HTTP itself (Kestrel, HttpListener): the engine's request, translated, and the
/// websocket upgrade the kit's offer step made for it (<see cref="RequestPipeline.ServeAsync"/> sets it), so that no
/// adapter keeps an upgrade slot of its own.
/// </summary>
public abstract class EngineEnviron : Environ
{
    private WebSocketUpgrade? _upgrade;

    /// <summary>The upgrade the kit offers the application for this request, or null.</summary>
    public sealed override WebSocketUpgrade? WebSocket => _upgrade;

    /// <summary>Offers <paramref name="upgrade"/> (or nothing) to the application; a request it is not set for offers nothing.</summary>
    internal void Offer(HostWebSocketUpgrade? upgrade) => _upgrade = upgrade;
}
