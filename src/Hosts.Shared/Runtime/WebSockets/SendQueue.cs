using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The send side of a session. The engine allows one send at a time, so one writer at a time drains
/// the queue; messages go out whole in the order they were accepted, and the close frame travels in
/// the same line, last. The buffer is bounded: <see cref="TrySend"/> refuses beyond the limits and
/// <see cref="SendAsync"/> waits for room, both behind any send already waiting so that call order holds.
/// </summary>
/// <remarks>
/// An uncontended <see cref="SendAsync"/> writes directly with no entry at all; everything else goes
/// through pooled <see cref="QueuedSend"/> entries and a writer loop whose continuation is cached, so
/// neither path allocates per message beyond what the engine does.
/// </remarks>
internal sealed class SendQueue(WebSocket socket, WebSocketOptions options, SessionStateMachine state, ILogger logger, Action connectionLost)
{
    private static readonly Action<object?> CancelCallback = static entry => ((QueuedSend)entry!).Queue!.Cancel((QueuedSend)entry);

    private readonly long _maxBufferedBytes = options.MaxBufferedBytes;
    private readonly int _maxBufferedMessages = options.MaxBufferedMessages;
    private readonly Lock _gate = new();

    // Accepted and counted in BufferedBytes, in the order they go out; the one being written is not in here.
    private QueuedSendList _queued;

    // SendAsync calls that found no room, in call order: not accepted yet, so not counted.
    private QueuedSendList _waiting;

    // Both include the message being written, so a writer is at work exactly while _bufferedMessages > 0.
    private long _bufferedBytes;
    private int _bufferedMessages;

    // The writer loop's write in progress, kept here rather than in an async state machine so the loop allocates nothing.
    private QueuedSend? _writing;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _pendingWrite;
    private Action? _onPendingWriteCompleted;

    public long BufferedBytes => Volatile.Read(ref _bufferedBytes);

    // Nothing more is accepted once our close has started (its frame is queued right after) or the connection is lost.
    // The session's state says so: it moves before EnqueueClose or Fail runs, and only forward.
    private bool AcceptsNoMore => state.Current is SessionState.LocalClosing or SessionState.Closed or SessionState.Aborted;

    /// <summary>Sends one message, waiting for room if the buffer is full; completes when it is written.</summary>
    public ValueTask SendAsync(WebSocketMessage message, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        lock (_gate)
        {
            if (AcceptsNoMore)
                return ValueTask.FromException(state.ClosedException());
            if (_bufferedMessages > 0)
                return Enqueue(message, cancellationToken);
            Account(message.Data.Length);
        }
        return WriteDirectly(message, cancellationToken);
    }

    /// <summary>Queues one message without waiting, or returns false (queueing nothing) when there is no room or the queue is closed.</summary>
    public bool TrySend(WebSocketMessage message)
    {
        QueuedSend entry;
        lock (_gate)
        {
            if (AcceptsNoMore || !_waiting.IsEmpty || !HasRoomFor(message.Data.Length))
                return false;
            entry = QueuedSend.ForMessage(this, message, awaited: false, CancellationToken.None);
            if (!Accept(entry))
                return true;
        }
        Drain(entry);
        return true;
    }

    /// <summary>
    /// Queues the close frame after everything accepted so far and closes the queue. Sends still waiting
    /// for room were never accepted: they fail like any send after the close. Completes when the frame is
    /// written, at once if the queue was already closed.
    /// </summary>
    public ValueTask EnqueueClose(WebSocketCloseStatus status, string? reason)
    {
        QueuedSend close;
        QueuedSend? refused;
        bool startWriter;
        lock (_gate)
        {
            // The close is queued once per session, after its state moved; a lost connection has no one to send it to.
            if (state.Current == SessionState.Aborted)
                return ValueTask.CompletedTask;
            refused = DetachAll(ref _waiting, countedInBuffer: false);
            close = QueuedSend.ForClose(this, status, reason);
            startWriter = Accept(close);
        }
        var written = close.AsValueTask();
        FailAll(refused);
        if (startWriter)
            Drain(close);
        return written;
    }

    /// <summary>The connection is gone: fails every queued and waiting send and refuses new ones. The write in progress fails on its own.</summary>
    public void Fail()
    {
        QueuedSend? queued, waiting;
        lock (_gate)
        {
            queued = DetachAll(ref _queued, countedInBuffer: true);
            waiting = DetachAll(ref _waiting, countedInBuffer: false);
        }
        FailAll(queued);
        FailAll(waiting);
    }

    private bool HasRoomFor(int bytes) =>
        _bufferedMessages == 0 || (_bufferedBytes + bytes <= _maxBufferedBytes && _bufferedMessages < _maxBufferedMessages);

    private void Account(int bytes)
    {
        _bufferedBytes += bytes;
        _bufferedMessages++;
    }

    private void Unaccount(int bytes)
    {
        _bufferedBytes -= bytes;
        _bufferedMessages--;
    }

    /// <summary>Counts a new entry in; true when nothing else is, so the caller becomes the writer and must <see cref="Drain"/> it. Under the lock.</summary>
    private bool Accept(QueuedSend entry)
    {
        if (_bufferedMessages > 0)
        {
            QueueBehindWriter(entry);
            return false;
        }
        Account(entry.Bytes);
        entry.Stage = QueuedSendStage.Writing;
        return true;
    }

    /// <summary>Counts an entry in behind the writer at work. Under the lock.</summary>
    private void QueueBehindWriter(QueuedSend entry)
    {
        Account(entry.Bytes);
        entry.Stage = QueuedSendStage.Queued;
        _queued.Add(entry);
    }

    /// <summary>A SendAsync behind a busy writer: queued if there is room and nobody waits ahead of it, otherwise waiting. Under the lock.</summary>
    private ValueTask Enqueue(WebSocketMessage message, CancellationToken cancellationToken)
    {
        var entry = QueuedSend.ForMessage(this, message, awaited: true, cancellationToken);
        if (_waiting.IsEmpty && HasRoomFor(entry.Bytes))
        {
            QueueBehindWriter(entry);
        }
        else
        {
            entry.Stage = QueuedSendStage.Waiting;
            _waiting.Add(entry);
        }
        // Registered under the lock so the callback, which takes it too, finds the entry in place. If the
        // token is cancelled right now the callback runs here, re-entering the lock, and completes the entry.
        if (cancellationToken.CanBeCanceled)
            entry.Registration = cancellationToken.UnsafeRegister(CancelCallback, entry);
        return entry.AsValueTask();
    }

    /// <summary>Moves waiting sends into the queue while they fit. Under the lock.</summary>
    private void AdmitWaiting()
    {
        while (_waiting.First is { } head && HasRoomFor(head.Bytes))
        {
            _waiting.Remove(head);
            QueueBehindWriter(head);
        }
    }

    /// <summary>The writer is done with <paramref name="bytes"/>: lets waiting sends in and returns the next entry to write, or null when the writer may stop. Under the lock.</summary>
    private QueuedSend? ReleaseAndTakeNext(int bytes)
    {
        Unaccount(bytes);
        AdmitWaiting();
        var next = _queued.TakeFirst();
        if (next is not null)
            next.Stage = QueuedSendStage.Writing;
        return next;
    }

    private ValueTask WriteDirectly(WebSocketMessage message, CancellationToken cancellationToken)
    {
        ValueTask write;
        try
        {
            write = socket.SendAsync(message.Data, message.Type, endOfMessage: true, cancellationToken);
        }
        catch (Exception ex)
        {
            write = ValueTask.FromException(ex);
        }
        if (!write.IsCompletedSuccessfully)
            return AwaitDirectWriteAsync(write, message.Data.Length, cancellationToken);
        write.GetAwaiter().GetResult();
        DirectWriteDone(message.Data.Length);
        return ValueTask.CompletedTask;
    }

    // Pooled, so that a direct write the engine did not finish at once costs no allocation of ours either.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitDirectWriteAsync(ValueTask write, int bytes, CancellationToken cancellationToken)
    {
        try
        {
            await write;
        }
        catch (Exception ex)
        {
            lock (_gate)
                Unaccount(bytes);
            WriteFailed(ex);
            var translated = Translate(ex, cancellationToken);
            if (ReferenceEquals(translated, ex))
                throw;
            throw translated;
        }
        DirectWriteDone(bytes);
    }

    private void DirectWriteDone(int bytes)
    {
        QueuedSend? next;
        lock (_gate)
            next = ReleaseAndTakeNext(bytes);
        if (next is not null)
            Drain(next);
    }

    /// <summary>The writer loop: writes <paramref name="entry"/> and whatever follows it, until the queue is empty or a write has to wait.</summary>
    private void Drain(QueuedSend? entry)
    {
        while (entry is not null)
        {
            var write = StartWrite(entry).ConfigureAwait(false).GetAwaiter();
            if (!write.IsCompleted)
            {
                (_writing, _pendingWrite) = (entry, write);
                write.UnsafeOnCompleted(_onPendingWriteCompleted ??= OnPendingWriteCompleted);
                return;
            }
            entry = Finish(entry, write);
        }
    }

    private void OnPendingWriteCompleted()
    {
        var (entry, write) = (_writing!, _pendingWrite);
        (_writing, _pendingWrite) = (null, default);
        Drain(Finish(entry, write));
    }

    /// <summary>Settles <paramref name="entry"/> with the outcome of its finished <paramref name="write"/> and returns the next one to write, or null.</summary>
    private QueuedSend? Finish(QueuedSend entry, ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter write)
    {
        Exception? error = null;
        try
        {
            write.GetResult();
        }
        catch (Exception ex)
        {
            error = ex;
        }
        return Finish(entry, error);
    }

    private ValueTask StartWrite(QueuedSend entry)
    {
        try
        {
            // No token for the engine: a queued send's cancellation is the queue's business (see Cancel).
            if (!entry.IsClose)
                return socket.SendAsync(entry.Message.Data, entry.Message.Type, endOfMessage: true, CancellationToken.None);
            // After a dropped connection there is no one to send a close frame to.
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                return ValueTask.CompletedTask;
            return new ValueTask(socket.CloseOutputAsync(entry.CloseStatus, entry.CloseReason, CancellationToken.None));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>Settles a written (or failed) entry and returns the next one to write, or null.</summary>
    private QueuedSend? Finish(QueuedSend entry, Exception? error)
    {
        QueuedSend? next = null;
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            if (error is null)
                next = ReleaseAndTakeNext(entry.Bytes);
            else
                Unaccount(entry.Bytes);
            entry.Stage = QueuedSendStage.Done;
            registration = entry.Registration;
            entry.Registration = default;
        }
        // Outside the lock: disposing waits for a cancellation callback that may be running, and that callback takes the lock.
        registration.Dispose();
        if (error is not null)
        {
            // The connection first, so the entry's exception carries the close status that results.
            WriteFailed(error);
            entry.Complete(Translate(error, entry.Token));
            return null;
        }
        entry.Complete(null);
        return next;
    }

    /// <summary>A caller's token fired for a send still in the queue.</summary>
    private void Cancel(QueuedSend entry)
    {
        bool writing;
        lock (_gate)
        {
            writing = entry.Stage == QueuedSendStage.Writing;
            switch (entry.Stage)
            {
                case QueuedSendStage.Waiting:
                    _waiting.Remove(entry);
                    break;
                case QueuedSendStage.Queued:
                    _queued.Remove(entry);
                    Unaccount(entry.Bytes);
                    break;
                case QueuedSendStage.Writing:
                    break;
                default:
                    return;
            }
            if (!writing)
            {
                entry.Stage = QueuedSendStage.Done;
                entry.Registration = default;
                AdmitWaiting();
            }
        }
        // Half a frame cannot be taken back: as for a direct write, cancelling one being written drops the
        // connection; the write then fails and Finish reports the cancellation (it waits for this callback first).
        if (writing)
            connectionLost();
        else
            entry.Complete(new OperationCanceledException(entry.Token));
    }

    /// <summary>Empties <paramref name="list"/>, marking each entry done and taking it out of the count if it was in. Under the lock.</summary>
    private QueuedSend? DetachAll(ref QueuedSendList list, bool countedInBuffer)
    {
        var first = list.DetachAll();
        for (var entry = first; entry is not null; entry = entry.Next)
        {
            if (countedInBuffer)
                Unaccount(entry.Bytes);
            entry.Stage = QueuedSendStage.Done;
        }
        return first;
    }

    private void FailAll(QueuedSend? first)
    {
        for (var entry = first; entry is not null;)
        {
            var next = entry.Next;
            var registration = entry.Registration;
            entry.Registration = default;
            registration.Dispose();
            entry.Complete(state.ClosedException());
            entry = next;
        }
    }

    private void WriteFailed(Exception error)
    {
        if (!ConnectionLoss.Is(error))
            HostLog.WebSocketSendFailed(logger, error);
        connectionLost();
    }

    private Exception Translate(Exception error, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return error as OperationCanceledException ?? new OperationCanceledException(cancellationToken);
        return ConnectionLoss.Is(error) ? state.ClosedException() : error;
    }
}
