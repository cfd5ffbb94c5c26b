using System.Net.WebSockets;
using System.Text;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The close handshake of a session, run once whoever starts it (the application, a 1009, the
/// handler's end, a server stop, or the answer to the peer's close): our close frame goes out behind
/// everything already queued, then the peer's is awaited, all within <see cref="WebSocketOptions.CloseTimeout"/>;
/// a handshake that does not complete drops the connection.
/// </summary>
internal sealed class CloseHandshake(WebSocket socket, SessionStateMachine state, SendQueue sender, MessageAssembler receiver, TimeSpan closeTimeout, Action connectionLost)
{
    private const int MaxReasonBytes = 123;

    private Task? _handshake;

    // Cancelled when the handshake times out, or is given up because the connection is lost some other way.
    private CancellationTokenSource? _giveUp;

    /// <summary>Throws unless <paramref name="status"/> may be sent (RFC 6455 section 7.4) and <paramref name="reason"/> fits in a close frame.</summary>
    public static void Validate(WebSocketCloseStatus status, string? reason)
    {
        var code = (int)status;
        var sendable = code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;
        if (!sendable)
            throw new ArgumentException($"Close status {code} may not be sent (RFC 6455 section 7.4).", nameof(status));
        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > MaxReasonBytes)
            throw new ArgumentException($"A close reason may be at most {MaxReasonBytes} UTF-8 bytes.", nameof(reason));
    }

    /// <summary>The close code that answers a peer's close: its own, as RFC 6455 section 5.5.1 suggests, or 1000 when it sent none.</summary>
    public static WebSocketCloseStatus AnswerTo(WebSocketCloseStatus? peerStatus) =>
        peerStatus is { } status && status != WebSocketCloseStatus.Empty ? status : WebSocketCloseStatus.NormalClosure;

    /// <summary>Starts the handshake with this code, or joins the one under way (whose code stands). Completes when the handshake is over: done, timed out, or given up.</summary>
    public Task StartAsync(WebSocketCloseStatus status, string? reason)
    {
        if (Volatile.Read(ref _handshake) is { } running)
            return running;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _handshake, done.Task, null) is { } other)
            return other;
        var giveUp = new CancellationTokenSource(closeTimeout);
        Volatile.Write(ref _giveUp, giveUp);
        _ = RunAsync(status, reason, giveUp.Token, done);
        return done.Task;
    }

    /// <summary>
    /// Stops a handshake under way because the connection is gone. The engine's abort fails a read in
    /// progress on most streams but not on every one (an in-memory pipe's stays pending), so the
    /// handshake's waits are cancelled as well.
    /// </summary>
    public void Abandon()
    {
        try
        {
            Volatile.Read(ref _giveUp)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The handshake has finished already.
        }
    }

    private async Task RunAsync(WebSocketCloseStatus status, string? reason, CancellationToken giveUp, TaskCompletionSource done)
    {
        try
        {
            state.Apply(SessionEvent.LocalCloseStarted, status, reason);
            var frameWritten = sender.EnqueueClose(status, reason);
            await frameWritten.AsTask().WaitAsync(giveUp);
            if (state.Current == SessionState.LocalClosing)
                await ReadUntilPeerCloseAsync(giveUp);
        }
        catch (Exception ex) when (ConnectionLoss.Is(ex))
        {
            // The peer did not answer in time, or the connection dropped: nothing more to say to it.
        }
        finally
        {
            if (socket.State != WebSocketState.Closed)
                connectionLost();
            // Disposed, not left to its timer: a handshake that finished early would keep it for the whole close timeout.
            Interlocked.Exchange(ref _giveUp, null)?.Dispose();
            done.TrySetResult();
        }
    }

    /// <summary>
    /// Waits for the peer's close frame. The application's receive may hold the read turn: it then sees
    /// the close itself, or gets a message and may never read again, so the handshake takes the turn
    /// once that receive returns and reads on, dropping whatever else comes, until the close frame.
    /// </summary>
    private async Task ReadUntilPeerCloseAsync(CancellationToken giveUp)
    {
        await receiver.WaitForReadTurnAsync(giveUp);
        try
        {
            if (state.Current != SessionState.LocalClosing)
                return;
            await receiver.DiscardUntilCloseAsync(giveUp);
            state.Apply(SessionEvent.PeerCloseReceived, socket.CloseStatus ?? WebSocketCloseStatus.Empty, socket.CloseStatusDescription);
        }
        finally
        {
            receiver.ReleaseReadTurn();
        }
    }
}
