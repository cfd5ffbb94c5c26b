using System.Net.WebSockets;
using System.Threading.Tasks.Sources;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// One message, or the close frame, in a <see cref="SendQueue"/>. Pooled (<see cref="QueuedSendPool"/>):
/// a <see cref="IWebSocket.SendAsync"/> caller awaits it as its <see cref="ValueTask"/>, and it goes back to
/// the pool once that result has been read; a <see cref="IWebSocket.TrySend"/> entry goes back once written.
/// The queue's lock guards <see cref="Stage"/>, the links and <see cref="Registration"/>.
/// </summary>
internal sealed class QueuedSend : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _result = new() { RunContinuationsAsynchronously = true };

    /// <summary>The queue it is in, for the cancellation callback.</summary>
    public SendQueue? Queue { get; private set; }

    public WebSocketMessage Message { get; private set; }

    public bool IsClose { get; private set; }

    public WebSocketCloseStatus CloseStatus { get; private set; }

    public string? CloseReason { get; private set; }

    /// <summary>Whether someone awaits the result (SendAsync, the close); TrySend's entries have no one.</summary>
    public bool IsAwaited { get; private set; }

    /// <summary>The caller's token, so that a cancelled send reports that token.</summary>
    public CancellationToken Token { get; private set; }

    public CancellationTokenRegistration Registration { get; set; }

    public QueuedSendStage Stage { get; set; }

    public QueuedSend? Next { get; set; }

    public QueuedSend? Previous { get; set; }

    public int Bytes => Message.Data.Length;

    public static QueuedSend ForMessage(SendQueue queue, WebSocketMessage message, bool awaited, CancellationToken token)
    {
        var entry = QueuedSendPool.Rent();
        entry.Queue = queue;
        entry.Message = message;
        entry.IsAwaited = awaited;
        entry.Token = token;
        return entry;
    }

    public static QueuedSend ForClose(SendQueue queue, WebSocketCloseStatus status, string? reason)
    {
        var entry = QueuedSendPool.Rent();
        entry.Queue = queue;
        entry.IsClose = true;
        entry.CloseStatus = status;
        entry.CloseReason = reason;
        entry.IsAwaited = true;
        return entry;
    }

    public ValueTask AsValueTask() => new(this, _result.Version);

    /// <summary>Reports the outcome to whoever awaits it, or recycles an entry nobody awaits.</summary>
    public void Complete(Exception? error)
    {
        if (!IsAwaited)
            Recycle();
        else if (error is null)
            _result.SetResult(true);
        else
            _result.SetException(error);
    }

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _result.GetResult(token);
        }
        finally
        {
            // The queue has released it by now, so nothing else can reach it: safe to reuse.
            Registration.Dispose();
            Recycle();
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _result.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _result.OnCompleted(continuation, state, token, flags);

    private void Recycle()
    {
        _result.Reset();
        Queue = null;
        Message = default;
        IsClose = false;
        CloseStatus = default;
        CloseReason = null;
        IsAwaited = false;
        Token = default;
        Registration = default;
        Stage = default;
        Next = null;
        Previous = null;
        QueuedSendPool.Return(this);
    }
}
