namespace HostKit.Hosts.Protocol;

/// <summary>
/// The opening handshake of a request that asks to switch to websocket, once its headers passed
/// <see cref="WebSocketHandshake.Validate"/> (over HTTP/2, <see cref="WebSocketHandshake.ValidateVersion"/>): what an engine's upgrade needs to answer it.
/// </summary>
/// <param name="Key">The client's <c>Sec-WebSocket-Key</c>, valid; empty over HTTP/2, which has none (RFC 8441).</param>
/// <param name="SubProtocols">The subprotocols offered in <c>Sec-WebSocket-Protocol</c>, in the client's order.</param>
/// <param name="Extensions">The request's <c>Sec-WebSocket-Extensions</c>, or null.</param>
public readonly record struct WebSocketHandshakeRequest(string Key, IReadOnlyList<string> SubProtocols, string? Extensions);
