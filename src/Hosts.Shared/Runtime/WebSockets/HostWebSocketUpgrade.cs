using System.Net.WebSockets;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// What every host's websocket upgrade does the same way: refuses to accept after a response
/// started, wraps the engine's <see cref="WebSocket"/> in the shared <see cref="WebSocketSession"/>,
/// tracks it for the 1001 at shutdown, and at the application's end closes it (1000, or 1011 on a
/// failure), drops any body the application returned, and forgets it. A host only does its engine's
/// handshake, in <see cref="HandshakeAsync"/>.
/// </summary>
public abstract class HostWebSocketUpgrade : WebSocketUpgrade
{
    private readonly ResponseHead _head;
    private readonly HostRuntime _runtime;

    /// <summary>Creates the upgrade a request offers.</summary>
    /// <param name="requestedSubProtocols">The subprotocols the client offered, in its order.</param>
    /// <param name="head">The request's response head: an upgrade after <c>startResponse</c> is refused, and a <c>startResponse</c> after the upgrade.</param>
    /// <param name="runtime">The server: its websocket options, logger, and open websockets.</param>
    protected HostWebSocketUpgrade(IReadOnlyList<string> requestedSubProtocols, ResponseHead head, HostRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(requestedSubProtocols);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(runtime);
        RequestedSubProtocols = requestedSubProtocols;
        _head = head;
        _runtime = runtime;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> RequestedSubProtocols { get; }

    /// <summary>
    /// The request's <c>Sec-WebSocket-Extensions</c>, set by a host that compresses through the kit's
    /// handshake (<see cref="HostCapabilities.WebSocketCompression"/>); null leaves the websocket uncompressed.
    /// </summary>
    public string? RequestedExtensions { get; init; }

    /// <summary>The <c>permessage-deflate</c> settings the 101 accepts, when <see cref="WebSocketOptions.Compression"/> is on and the client offered one the server can honour; set before <see cref="HandshakeAsync"/>.</summary>
    protected PerMessageDeflate? Compression { get; private set; }

    /// <summary>The accepted socket, once accepted.</summary>
    public WebSocketSession? Session { get; private set; }

    // The connection under the engine, when this upgrade framed a stream itself (CreateFromStream).
    private WebSocketConnectionStream? _connection;

    /// <summary>The websocket settings, for <see cref="HandshakeAsync"/> (keep-alive interval and timeout).</summary>
    protected WebSocketOptions Options => _runtime.Options.WebSockets;

    /// <inheritdoc />
    protected override bool IsResponseStarted => _head.IsStarted;

    /// <summary>The engine's handshake: send the 101 (with <paramref name="subProtocol"/> when chosen) and return its websocket.</summary>
    protected abstract ValueTask<WebSocket> HandshakeAsync(string? subProtocol);

    /// <inheritdoc />
    /// <exception cref="RequestRejectedException">The server is stopping: the host answers 503 instead of 101.</exception>
    protected sealed override async ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol, int? maxMessageBytes)
    {
        if (_runtime.Activity.IsStopping)
            throw new RequestRejectedException(RequestRejection.ServerStopping);
        Compression = Options.Compression ? PerMessageDeflate.Negotiate(RequestedExtensions, Options.CompressionContextTakeover) : null;
        var socket = await HandshakeAsync(subProtocol);
        _head.MarkUpgraded();
        Session = new WebSocketSession(socket, Options, _runtime.Logger, maxMessageBytes, _connection);
        _connection = null;
        // From here it is a websocket, closed with 1001 at stop, no longer an HTTP request the stop waits for.
        _runtime.Activity.WebSockets.Add(Session);
        _runtime.Activity.RequestEnded();
        _runtime.Metrics.WebSocketOpened();
        return Session;
    }

    /// <summary>
    /// Called when the application's task completed after it accepted: closes the socket with 1000, or
    /// with 1011 and a log entry when <paramref name="result"/> is a failure, drops the body it returned,
    /// and forgets the socket.
    /// </summary>
    public async ValueTask FinishAsync(ApplicationResult result)
    {
        try
        {
            await ResponseBodyWriter.DiscardAsync(result.Body);
            if (Session is { } session)
                await session.FinishAsync(result.Failure);
        }
        finally
        {
            if (Session is { } session)
            {
                _runtime.Activity.WebSockets.Remove(session);
                _runtime.Metrics.WebSocketClosed();
            }
        }
    }

    /// <summary>
    /// The engine's own websocket (<paramref name="engineSocket"/>), for an engine that frames it over a stream that does not
    /// own the connection: aborting or disposing it also runs <paramref name="closeConnection"/>, so that the session can
    /// drop a connection it gave up on (the engine's own abort would leave a stuck read or write waiting forever).
    /// </summary>
    /// <param name="engineSocket">The websocket the engine's handshake returned.</param>
    /// <param name="closeConnection">Drops the connection at once; called on every abort and dispose, so it must bear being called again.</param>
    protected static WebSocket ClosingConnection(WebSocket engineSocket, Action closeConnection)
    {
        ArgumentNullException.ThrowIfNull(engineSocket);
        ArgumentNullException.ThrowIfNull(closeConnection);
        return new ConnectionClosingWebSocket(engineSocket, closeConnection);
    }

    /// <summary>
    /// Creates the engine websocket over an upgraded byte stream with these options, for hosts that frame the connection
    /// themselves. The stream is read through the host kit's frame header reader, so a message declared over the limit is
    /// refused at its header, and a connection whose close frame has gone out lingers until the peer has read it.
    /// </summary>
    /// <param name="stream">The upgraded connection.</param>
    /// <param name="subProtocol">The subprotocol chosen, or null.</param>
    /// <param name="abortConnection">Drops the connection at once, for an engine whose stream does nothing when disposed (Kestrel's); null when disposing the stream is enough.</param>
    /// <param name="abortAfterClose">
    /// For an engine whose abort throws away what was written but not yet sent (Kestrel's output pipe): how the connection
    /// ends once our close frame is written and the peer did not close back. The connection is then left to end with the
    /// request, which sends the frame first, and this runs only after <see cref="WebSocketOptions.CloseTimeout"/> (at least 5 s),
    /// so that the peer reads the close code rather than a reset; by then the connection is usually gone, so it should be an
    /// abort the engine does not report as the application's (Kestrel's transport abort). Null: <paramref name="abortConnection"/>
    /// at once. Only for a connection nothing else will use once the request has ended (an HTTP/1.1 upgrade, not an HTTP/2 stream).
    /// </param>
    protected WebSocket CreateFromStream(Stream stream, string? subProtocol, Action? abortConnection = null, Action? abortAfterClose = null)
    {
        _connection = new WebSocketConnectionStream(stream, Options.CloseTimeout, abortConnection, abortAfterClose, _runtime.Logger);
        return WebSocket.CreateFromStream(_connection, EngineOptions.For(Options, subProtocol, Compression));
    }
}
