namespace HostKit;

/// <summary>Serves one accepted websocket; the socket is closed (1000, or 1011 on an exception) when this returns.</summary>
/// <param name="socket">The accepted websocket.</param>
/// <param name="environ">The upgrade request: path, query string, headers.</param>
public delegate ValueTask WebSocketHandler(IWebSocket socket, Environ environ);
