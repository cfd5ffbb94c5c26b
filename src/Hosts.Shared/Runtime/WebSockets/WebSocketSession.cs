using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The one implementation of <see cref="IWebSocket"/> that every host shares, over the engine's
/// <see cref="WebSocket"/> (Kestrel's, HttpListener's, or <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>).
/// It is where the guarantees live: whole messages, serialized sends with a bounded buffer,
/// keep-alive, the 1009 size limit, and defined behaviour around close.
/// </summary>
/// <remarks>
/// <para>
/// A host creates one per accepted upgrade, gives it to the application, and calls
/// <see cref="FinishAsync"/> when the application's task completes.
/// A callback-based engine (Fleck, WatsonWebsocket) fits by exposing its connection as a
/// <see cref="WebSocket"/> subclass fed by a <c>Channel</c>; see docs/hosts.md.
/// </para>
/// <para>
/// It composes three parts, each in its own file: <see cref="MessageAssembler"/> (receive),
/// <see cref="SendQueue"/> (send) and <see cref="CloseHandshake"/>, around one
/// <see cref="SessionStateMachine"/> (docs/websockets.md has its table).
/// </para>
/// </remarks>
public sealed class WebSocketSession : IWebSocket, IAsyncDisposable
{
    /// <summary>RFC 6455's 1006: the connection dropped without a close frame. Never sent on the wire.</summary>
    public const WebSocketCloseStatus AbnormalClosure = SessionStateMachine.AbnormalClosure;

    private readonly WebSocket _socket;
    private readonly ILogger _logger;
    private readonly SessionStateMachine _state = new();
    private readonly MessageAssembler _receiver;
    private readonly SendQueue _sender;
    private readonly CloseHandshake _close;
    private readonly WebSocketConnectionStream? _connection;

    /// <summary>Wraps an engine websocket that has completed its handshake.</summary>
    /// <param name="socket">The engine's websocket; this session owns and disposes it.</param>
    /// <param name="options">Limits and timeouts.</param>
    /// <param name="logger">Where send failures and handler faults are reported.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WebSocketOptions.MaxMessageBytes"/> is negative, or <see cref="WebSocketOptions.CloseTimeout"/> or <see cref="WebSocketOptions.MessageTimeout"/> is neither infinite nor between zero and about 49 days.</exception>
    public WebSocketSession(WebSocket socket, WebSocketOptions options, ILogger logger)
        : this(socket, options, logger, null, null)
    {
    }

    /// <summary>Wraps an engine websocket with the route's message limit, over the connection stream the host framed (null when the engine frames its own).</summary>
    internal WebSocketSession(WebSocket socket, WebSocketOptions options, ILogger logger, int? routeMaxMessageBytes, WebSocketConnectionStream? connection)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxMessageBytes);
        // Refused here, where it is the host's mistake, rather than when the first close or message needs its timer.
        CheckTimeout(options.CloseTimeout, nameof(WebSocketOptions.CloseTimeout));
        CheckTimeout(options.MessageTimeout, nameof(WebSocketOptions.MessageTimeout));
        _socket = socket;
        _logger = logger;
        _connection = connection;
        Action connectionLost = LoseConnection;
        var maxMessageBytes = Math.Min(options.MaxMessageBytes, routeMaxMessageBytes ?? int.MaxValue);
        _receiver = new MessageAssembler(socket, maxMessageBytes, options.MessageTimeout, connection);
        connection?.LimitMessages(maxMessageBytes, _receiver.Interrupt);
        _sender = new SendQueue(socket, options, _state, logger, connectionLost);
        _close = new CloseHandshake(socket, _state, _sender, _receiver, options.CloseTimeout, connectionLost);
    }

    private static void CheckTimeout(TimeSpan timeout, string name)
    {
        if (timeout != Timeout.InfiniteTimeSpan && (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > uint.MaxValue - 1))
            throw new ArgumentOutOfRangeException("options", timeout, $"{name} must be Timeout.InfiniteTimeSpan or between zero and 2^32-2 milliseconds.");
    }

    /// <inheritdoc />
    public string? SubProtocol => _socket.SubProtocol;

    /// <inheritdoc />
    public WebSocketState State => _socket.State;

    /// <inheritdoc />
    public WebSocketCloseStatus? CloseStatus => _state.CloseStatus;

    /// <inheritdoc />
    public string? CloseStatusDescription => _state.CloseStatusDescription;

    /// <inheritdoc />
    public long BufferedBytes => _sender.BufferedBytes;

    /// <summary>
    /// Creates the engine websocket over an upgraded connection with HostKit's options
    /// (keep-alive ping and pong timeout included) and wraps it. For hosts that own the raw stream.
    /// </summary>
    public static WebSocketSession FromStream(Stream stream, string? subProtocol, WebSocketOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socket = WebSocket.CreateFromStream(stream, EngineOptions.For(options, subProtocol));
        return new WebSocketSession(socket, options, logger);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Once a close has started, from either side, this returns null; a receive already reading when
    /// it started still returns the message it was reading. Cancelling aborts the connection.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<WebSocketMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (!_state.IsOpen)
            return null;
        if (!_receiver.TryTakeReadTurn())
            // Past Open, the close handshake may hold the turn: that is the null above, not a second receive.
            return _state.IsOpen ? throw new InvalidOperationException("Only one ReceiveAsync may be outstanding on a websocket.") : null;
        ReceiveResult received;
        try
        {
            if (!_state.IsOpen)
                return null;
            // Two steps, so that while the socket is idle only the engine's wait and this frame are suspended.
            var first = await _receiver.WaitForFrameAsync(cancellationToken);
            received = await _receiver.ReadMessageAsync(first, cancellationToken);
            // Recorded before the turn is released, so a close handshake waiting for it knows the peer's close is in.
            if (received.Outcome == ReceiveOutcome.PeerClosed)
                _state.Apply(SessionEvent.PeerCloseReceived, _socket.CloseStatus ?? WebSocketCloseStatus.Empty, _socket.CloseStatusDescription);
        }
        catch (Exception ex) when (ConnectionLoss.Is(ex))
        {
            LoseConnection();
            if (cancellationToken.IsCancellationRequested)
                throw;
            return null;
        }
        finally
        {
            _receiver.ReleaseReadTurn();
        }
        switch (received.Outcome)
        {
            case ReceiveOutcome.Message:
                return received.Message;
            case ReceiveOutcome.PeerClosed:
                await _close.StartAsync(CloseHandshake.AnswerTo(_socket.CloseStatus), null);
                return null;
            case ReceiveOutcome.Unfinished:
                await _close.StartAsync(WebSocketCloseStatus.PolicyViolation, string.Create(CultureInfo.InvariantCulture, $"message not finished within {_receiver.MessageTimeout.TotalSeconds:0.###} s"));
                return null;
            default:
                await _close.StartAsync(WebSocketCloseStatus.MessageTooBig, $"message over {_receiver.MaxMessageBytes} bytes");
                return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the buffer is full (<see cref="WebSocketOptions.MaxBufferedBytes"/>, <see cref="WebSocketOptions.MaxBufferedMessages"/>)
    /// this waits for room, behind any send already waiting. Cancelling a send that waits or is queued
    /// removes it; cancelling one being written aborts the connection.
    /// </remarks>
    public ValueTask SendAsync(WebSocketMessage message, CancellationToken cancellationToken = default) => _sender.SendAsync(message, cancellationToken);

    /// <inheritdoc />
    public bool TrySend(WebSocketMessage message) => _sender.TrySend(message);

    /// <inheritdoc />
    public async ValueTask CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? reason = null, CancellationToken cancellationToken = default)
    {
        CloseHandshake.Validate(status, reason);
        await _close.StartAsync(status, reason).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Abort() => LoseConnection();

    /// <summary>
    /// Called by the host when the application's task has completed: closes with 1011 and logs
    /// when the application failed, closes with 1000 when it returned without closing, then
    /// releases the connection.
    /// </summary>
    public async ValueTask FinishAsync(Exception? applicationError)
    {
        if (applicationError is not null)
        {
            HostLog.WebSocketHandlerFailed(_logger, applicationError);
            await _close.StartAsync(WebSocketCloseStatus.InternalServerError, "internal error");
        }
        else
        {
            await _close.StartAsync(WebSocketCloseStatus.NormalClosure, null);
        }
        _socket.Dispose();
        // After a close frame the peer did not answer, the connection lingers until the peer has read it (RFC 6455 7.1.1).
        if (_connection is not null)
            await _connection.Closed;
    }

    /// <summary>Closes with 1000 if still open and releases the connection.</summary>
    public async ValueTask DisposeAsync() => await FinishAsync(null);

    /// <summary>The connection is gone, or is given up: 1006 unless a close code was already recorded, and every pending send fails.</summary>
    private void LoseConnection()
    {
        _state.Apply(SessionEvent.ConnectionLost, AbnormalClosure, null);
        _socket.Abort();
        _sender.Fail();
        _close.Abandon();
    }
}
