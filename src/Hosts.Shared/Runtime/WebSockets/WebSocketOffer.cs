using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// What a request offers the application, decided once for every host: no websocket, a websocket upgrade
/// (<see cref="Upgrade"/>), or a handshake the host refuses before the application runs (<see cref="Refusal"/>:
/// answer it with <see cref="HostRuntime.RefuseAsync"/>).
/// </summary>
public readonly struct WebSocketOffer
{
    private WebSocketOffer(HostWebSocketUpgrade? upgrade, RequestRejection? refusal) => (Upgrade, Refusal) = (upgrade, refusal);

    /// <summary>The upgrade to offer the application (<see cref="Environ.WebSocket"/>), or null.</summary>
    public HostWebSocketUpgrade? Upgrade { get; }

    /// <summary>Why the handshake is refused (a bad version or key), or null.</summary>
    public RequestRejection? Refusal { get; }

    /// <summary>
    /// The offer step: for a request that <paramref name="asksToUpgrade"/>, checks its handshake headers
    /// (<see cref="WebSocketHandshake.Validate"/>) and either refuses it or has <paramref name="upgrade"/> make the engine's
    /// upgrade for the checked handshake. A request that does not ask offers nothing.
    /// </summary>
    /// <param name="request">The request, whose handshake headers are read.</param>
    /// <param name="asksToUpgrade">
    /// True when the request asks to switch to websocket and the engine can do it: <see cref="RequestHead.WantsWebSocket"/> for a
    /// host that parses HTTP/1.1 with the kit, <see cref="IsRequested"/> for one whose engine parses.
    /// </param>
    /// <param name="state">What <paramref name="upgrade"/> needs of the host (a static lambda and its state allocate nothing).</param>
    /// <param name="upgrade">Makes the engine's upgrade.</param>
    public static WebSocketOffer For<TState>(Environ request, bool asksToUpgrade, TState state, Func<WebSocketHandshakeRequest, TState, HostWebSocketUpgrade> upgrade)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(upgrade);
        if (!asksToUpgrade)
            return default;
        var key = request.GetHeader("Sec-WebSocket-Key");
        if (WebSocketHandshake.Validate(request.GetHeader("Sec-WebSocket-Version"), key) is { } refused)
            return new WebSocketOffer(null, refused);
        return new WebSocketOffer(upgrade(Handshake(request, key!), state), null);
    }

    /// <summary>
    /// The offer step for a websocket over HTTP/2 (RFC 8441): an extended CONNECT whose <c>:protocol</c> is <c>websocket</c>
    /// carries no key, so only its version is checked (<see cref="WebSocketHandshake.ValidateVersion"/>), and the handshake
    /// handed to <paramref name="upgrade"/> has an empty <see cref="WebSocketHandshakeRequest.Key"/>. A request that does not ask offers nothing.
    /// </summary>
    /// <param name="request">The request, whose handshake headers are read.</param>
    /// <param name="asksToUpgrade">True when the request is an extended CONNECT for <c>websocket</c>, as the engine reports it.</param>
    /// <param name="state">What <paramref name="upgrade"/> needs of the host.</param>
    /// <param name="upgrade">Makes the engine's upgrade.</param>
    public static WebSocketOffer ForExtendedConnect<TState>(Environ request, bool asksToUpgrade, TState state, Func<WebSocketHandshakeRequest, TState, HostWebSocketUpgrade> upgrade)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(upgrade);
        if (!asksToUpgrade)
            return default;
        if (WebSocketHandshake.ValidateVersion(request.GetHeader("Sec-WebSocket-Version")) is { } refused)
            return new WebSocketOffer(null, refused);
        return new WebSocketOffer(upgrade(Handshake(request, string.Empty), state), null);
    }

    private static WebSocketHandshakeRequest Handshake(Environ request, string key) =>
        new(key, WebSocketHandshake.SubProtocols(request.GetHeader("Sec-WebSocket-Protocol")), request.GetHeader("Sec-WebSocket-Extensions"));

    /// <summary>True when <paramref name="request"/>'s method, version and headers ask to switch to websocket (<see cref="WebSocketHandshake.IsRequested"/>).</summary>
    public static bool IsRequested(Environ request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WebSocketHandshake.IsRequested(request.RequestMethod, request.ServerProtocol == "HTTP/1.1", request.GetHeader("Upgrade"), request.GetHeader("Connection"));
    }
}
