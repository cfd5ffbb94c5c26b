using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts;

/// <summary>
/// The one implementation of <see cref="IWebSocket"/> that every host shares, over the engine's
/// <see cref="WebSocket"/> (Kestrel's, HttpListener's, or <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>).
/// It is where the guarantees live: whole messages, serialized sends with a bounded queue,
/// keep-alive, the 1009 size limit, and defined behaviour around close.
/// </summary>
/// <remarks>
/// A host creates one per accepted upgrade, gives it to the application, and calls
/// <see cref="FinishAsync"/> when the application's task completes.
/// A callback-based engine (Fleck, WatsonWebsocket) fits by exposing its connection as a
/// <see cref="WebSocket"/> subclass fed by a <c>Channel</c>; see docs/hosts.md.
/// </remarks>
public sealed class WebSocketSession : IWebSocket, IAsyncDisposable
{
    /// <summary>RFC 6455's 1006: the connection dropped without a close frame. Never sent on the wire.</summary>
    public const WebSocketCloseStatus AbnormalClosure = (WebSocketCloseStatus)1006;

    private const int MaxCloseReasonBytes = 123;
    private const int InitialReceiveBufferBytes = 4096;

    private readonly WebSocket _socket;
    private readonly WebSocketOptions _options;
    private readonly ILogger _logger;

    // Guards the send queue and the close state below.
    private readonly Lock _gate = new();
    private readonly Queue<PendingSend> _queue = new();
    private bool _writing;
    private long _bufferedBytes;
    private int _bufferedMessages;
    private bool _closeQueued;
    private Task? _closeTask;

    private int _receiving;
    private volatile bool _receiveDone;
    private readonly TaskCompletionSource _peerClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeStatusDescription;

    /// <summary>Wraps an engine websocket that has completed its handshake.</summary>
    /// <param name="socket">The engine's websocket; this session owns and disposes it.</param>
    /// <param name="options">Limits and timeouts.</param>
    /// <param name="logger">Where send failures and handler faults are reported.</param>
    public WebSocketSession(WebSocket socket, WebSocketOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _socket = socket;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public string? SubProtocol => _socket.SubProtocol;

    /// <inheritdoc />
    public WebSocketState State => _socket.State;

    /// <inheritdoc />
    public WebSocketCloseStatus? CloseStatus => _closeStatus;

    /// <inheritdoc />
    public string? CloseStatusDescription => _closeStatusDescription;

    /// <inheritdoc />
    public long BufferedBytes => Volatile.Read(ref _bufferedBytes);

    /// <summary>
    /// Creates the engine websocket over an upgraded connection with HostKit's options
    /// (keep-alive ping and pong timeout included) and wraps it. For hosts that own the raw stream.
    /// </summary>
    public static WebSocketSession FromStream(Stream stream, string? subProtocol, WebSocketOptions options, ILogger logger)
    {
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = subProtocol,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveInterval == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : options.KeepAliveTimeout,
        });
        return new WebSocketSession(socket, options, logger);
    }

    /// <inheritdoc />
    public async ValueTask<WebSocketMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (_receiveDone)
            return null;
        if (Interlocked.Exchange(ref _receiving, 1) == 1)
            throw new InvalidOperationException("Only one ReceiveAsync may be outstanding on a websocket.");
        byte[]? buffer = null;
        try
        {
            // Wait for the next frame without holding a buffer, so an idle socket costs none.
            var first = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
            if (first.MessageType == WebSocketMessageType.Close)
                return await OnPeerCloseAsync();
            var type = first.MessageType;
            if (first.EndOfMessage)
                return new WebSocketMessage(type, Array.Empty<byte>());

            var max = _options.MaxMessageBytes;
            buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialReceiveBufferBytes, max + 1));
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)max + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var room = Math.Min(buffer.Length, max + 1) - count;
                var result = await _socket.ReceiveAsync(buffer.AsMemory(count, room), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                    return await OnPeerCloseAsync();
                count += result.Count;
                if (count > max)
                {
                    _receiveDone = true;
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {max} bytes");
                    return null;
                }
                if (result.EndOfMessage)
                    return new WebSocketMessage(type, buffer.AsSpan(0, count).ToArray());
            }
        }
        catch (Exception ex) when (IsConnectionLoss(ex) && !cancellationToken.IsCancellationRequested)
        {
            MarkDropped();
            return null;
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
            Volatile.Write(ref _receiving, 0);
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(WebSocketMessage message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_closeQueued)
                throw Closed();
            if (_writing)
            {
                var pending = new PendingSend(message, withCompletion: true);
                Account(pending);
                _queue.Enqueue(pending);
                return pending.WaitAsync(cancellationToken);
            }
            // Uncontended: this caller becomes the writer and sends directly, with nothing allocated for the queue.
            _writing = true;
            _bufferedBytes += message.Data.Length;
            _bufferedMessages++;
        }
        return WriteFirstAsync(message, cancellationToken);
    }

    /// <inheritdoc />
    public bool TrySend(WebSocketMessage message)
    {
        PendingSend pending;
        lock (_gate)
        {
            if (_closeQueued)
                return false;
            var full = _bufferedMessages > 0 &&
                (_bufferedBytes + message.Data.Length > _options.MaxBufferedBytes || _bufferedMessages >= _options.MaxBufferedMessages);
            if (full)
                return false;
            pending = new PendingSend(message, withCompletion: false);
            Account(pending);
            if (_writing)
            {
                _queue.Enqueue(pending);
                return true;
            }
            _writing = true;
        }
        _ = DrainAsync(pending);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? reason = null, CancellationToken cancellationToken = default)
    {
        ValidateClose(status, reason);
        await StartClose(status, reason).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Abort()
    {
        MarkDropped();
        _socket.Abort();
    }

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
            await StartClose(WebSocketCloseStatus.InternalServerError, "internal error");
        }
        else
        {
            await StartClose(WebSocketCloseStatus.NormalClosure, null);
        }
        _socket.Dispose();
    }

    /// <summary>Closes with 1000 if still open and releases the connection.</summary>
    public async ValueTask DisposeAsync() => await FinishAsync(null);

    private Task StartClose(WebSocketCloseStatus status, string? reason)
    {
        PendingSend close;
        bool startWriter;
        lock (_gate)
        {
            if (_closeTask is not null)
                return _closeTask;
            _closeQueued = true;
            _closeStatus ??= status;
            _closeStatusDescription ??= reason;
            // The close frame joins the same queue as messages: everything accepted before it goes out first.
            close = PendingSend.ForClose(status, reason);
            Account(close);
            startWriter = !_writing;
            if (startWriter)
                _writing = true;
            else
                _queue.Enqueue(close);
            _closeTask = CloseCoreAsync(close);
        }
        if (startWriter)
            _ = DrainAsync(close);
        return _closeTask;
    }

    private async Task CloseCoreAsync(PendingSend close)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            await close.WaitAsync(timeout.Token);
            await WaitForPeerCloseAsync(timeout.Token);
        }
        catch (Exception ex) when (IsConnectionLoss(ex))
        {
            // The peer did not complete the handshake in time or the connection dropped: nothing more to say to it.
        }
        finally
        {
            if (_socket.State != WebSocketState.Closed)
                _socket.Abort();
            _receiveDone = true;
            FailQueued();
        }
    }

    private async Task WaitForPeerCloseAsync(CancellationToken timeout)
    {
        if (_socket.State == WebSocketState.Closed || _peerClosed.Task.IsCompleted)
            return;
        if (Interlocked.Exchange(ref _receiving, 1) == 1)
        {
            // The application's ReceiveAsync is pending: it will see the close frame.
            await _peerClosed.Task.WaitAsync(timeout);
            return;
        }
        try
        {
            var scratch = ArrayPool<byte>.Shared.Rent(1024);
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(scratch.AsMemory(), timeout);
                    if (result.MessageType == WebSocketMessageType.Close)
                        break;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
            _peerClosed.TrySetResult();
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }

    private async ValueTask<WebSocketMessage?> OnPeerCloseAsync()
    {
        _receiveDone = true;
        _closeStatus ??= _socket.CloseStatus ?? WebSocketCloseStatus.Empty;
        _closeStatusDescription ??= _socket.CloseStatusDescription;
        _peerClosed.TrySetResult();
        // Answer the close with the peer's own code, as RFC 6455 section 5.5.1 suggests.
        var status = _socket.CloseStatus is { } s && s != WebSocketCloseStatus.Empty ? s : WebSocketCloseStatus.NormalClosure;
        Volatile.Write(ref _receiving, 0);
        await StartClose(status, null);
        return null;
    }

    private async ValueTask WriteFirstAsync(WebSocketMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(message.Data, message.Type, endOfMessage: true, cancellationToken);
        }
        catch (Exception ex)
        {
            Release(message.Data.Length);
            FailWriter(ex);
            throw Translate(ex);
        }
        Release(message.Data.Length);
        if (TakeNext() is { } next)
            _ = DrainAsync(next);
    }

    private async Task DrainAsync(PendingSend item)
    {
        while (true)
        {
            if (!item.IsCanceled)
            {
                try
                {
                    await WriteAsync(item, CancellationToken.None);
                    item.Complete(null);
                }
                catch (Exception ex)
                {
                    Release(item);
                    item.Complete(Translate(ex));
                    FailWriter(ex);
                    return;
                }
            }
            Release(item);
            if (TakeNext() is not { } next)
                return;
            item = next;
        }
    }

    private ValueTask WriteAsync(PendingSend item, CancellationToken cancellationToken)
    {
        if (!item.IsClose)
            return _socket.SendAsync(item.Message.Data, item.Message.Type, endOfMessage: true, cancellationToken);
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return ValueTask.CompletedTask;
        return new ValueTask(_socket.CloseOutputAsync(item.CloseStatus, item.CloseReason, CancellationToken.None));
    }

    private PendingSend? TakeNext()
    {
        lock (_gate)
        {
            if (_queue.Count > 0)
                return _queue.Dequeue();
            _writing = false;
            return null;
        }
    }

    private void Account(PendingSend pending)
    {
        _bufferedBytes += pending.Message.Data.Length;
        _bufferedMessages++;
    }

    private void Release(PendingSend pending) => Release(pending.Message.Data.Length);

    private void Release(int bytes)
    {
        lock (_gate)
        {
            _bufferedBytes -= bytes;
            _bufferedMessages--;
        }
    }

    private void FailWriter(Exception ex)
    {
        if (!IsConnectionLoss(ex))
            HostLog.WebSocketSendFailed(_logger, ex);
        MarkDropped();
        _socket.Abort();
        FailQueued();
    }

    private void FailQueued()
    {
        PendingSend[] failed;
        lock (_gate)
        {
            _closeQueued = true;
            failed = [.. _queue];
            _queue.Clear();
            _writing = false;
            foreach (var pending in failed)
            {
                _bufferedBytes -= pending.Message.Data.Length;
                _bufferedMessages--;
            }
        }
        foreach (var pending in failed)
            pending.Complete(Closed());
    }

    private void MarkDropped()
    {
        _receiveDone = true;
        _closeStatus ??= AbnormalClosure;
        lock (_gate)
            _closeQueued = true;
        _peerClosed.TrySetResult();
    }

    private WebSocketClosedException Closed() => new(_closeStatus ?? AbnormalClosure, _closeStatusDescription);

    private Exception Translate(Exception ex) => IsConnectionLoss(ex) ? Closed() : ex;

    private static bool IsConnectionLoss(Exception ex) =>
        ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or WebSocketClosedException;

    private static void ValidateClose(WebSocketCloseStatus status, string? reason)
    {
        var code = (int)status;
        var sendable = code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;
        if (!sendable)
            throw new ArgumentException($"Close status {code} may not be sent (RFC 6455 section 7.4).", nameof(status));
        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > MaxCloseReasonBytes)
            throw new ArgumentException($"A close reason may be at most {MaxCloseReasonBytes} UTF-8 bytes.", nameof(reason));
    }

    /// <summary>One message (or the close frame) accepted for sending; carries a completion when someone waits on it.</summary>
    private sealed class PendingSend(WebSocketMessage message, bool withCompletion)
    {
        private readonly TaskCompletionSource? _completion = withCompletion ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        public WebSocketMessage Message { get; } = message;

        public bool IsClose { get; private init; }

        public WebSocketCloseStatus CloseStatus { get; private init; }

        public string? CloseReason { get; private init; }

        public static PendingSend ForClose(WebSocketCloseStatus status, string? reason) =>
            new(default, withCompletion: true) { IsClose = true, CloseStatus = status, CloseReason = reason };

        public bool IsCanceled => _completion?.Task.IsCanceled ?? false;

        public ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
                cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), _completion);
            return new ValueTask(_completion!.Task);
        }

        public void Complete(Exception? error)
        {
            if (error is null)
                _completion?.TrySetResult();
            else
                _completion?.TrySetException(error);
        }
    }
}
