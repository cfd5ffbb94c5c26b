namespace HostKit;

/// <summary>
/// The websocket upgrade a request offers (<see cref="Environ.WebSocket"/>). The application
/// decides: <see cref="AcceptAsync"/> it, or refuse it by answering with any HTTP response.
/// </summary>
public abstract class WebSocketUpgrade
{
    /// <summary>The subprotocols the client offered in <c>Sec-WebSocket-Protocol</c>, in its order of preference.</summary>
    public abstract IReadOnlyList<string> RequestedSubProtocols { get; }

    /// <summary>True once <see cref="AcceptAsync"/> has been called.</summary>
    public bool IsAccepted { get; private set; }

    /// <summary>
    /// Completes the handshake (101 Switching Protocols) and returns the websocket. The application
    /// then owns it until its returned task completes; the host closes it with 1000 if the
    /// application did not, or 1011 if the application threw.
    /// </summary>
    /// <param name="subProtocol">One of <see cref="RequestedSubProtocols"/>, or null for none.</param>
    /// <param name="maxMessageBytes">
    /// The largest message the application accepts, in bytes; null for the host's limit. A larger message (or one over the
    /// host's limit, if smaller) closes the socket with 1009, and no more than the limit of it is ever buffered.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="subProtocol"/> was not offered by the client.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessageBytes"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The upgrade was already accepted, or a response was started.</exception>
    public ValueTask<IWebSocket> AcceptAsync(string? subProtocol = null, int? maxMessageBytes = null)
    {
        if (maxMessageBytes is { } limit)
            ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(maxMessageBytes));
        if (IsAccepted)
            throw new InvalidOperationException("This websocket upgrade was already accepted.");
        if (IsResponseStarted)
            throw new InvalidOperationException("The application already started an HTTP response (called startResponse); it cannot also accept the websocket.");
        if (subProtocol is not null && !RequestedSubProtocols.Contains(subProtocol, StringComparer.Ordinal))
            throw new ArgumentException($"The client did not offer the subprotocol '{subProtocol}'.", nameof(subProtocol));
        IsAccepted = true;
        return AcceptCoreAsync(subProtocol, maxMessageBytes);
    }

    /// <summary>True when the application already called <c>startResponse</c> for this request; the host tells.</summary>
    protected abstract bool IsResponseStarted { get; }

    /// <summary>The host's part of <see cref="AcceptAsync"/>: send the 101 and wrap the engine's websocket, usually with the host kit's <c>WebSocketSession</c>, under the application's message limit (null: the host's).</summary>
    protected abstract ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol, int? maxMessageBytes);
}
