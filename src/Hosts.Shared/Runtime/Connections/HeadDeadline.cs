using System.IO.Pipelines;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The request-head deadlines of one connection, in one object with one status (after Kestrel's <c>TimeoutControl</c>),
/// checked by a server-wide heartbeat (<see cref="OnHeartbeat"/>) instead of a timer per connection: no timer to reset on
/// every request, and none held by an idle connection. Between requests the connection may idle for
/// <see cref="HttpLimits.KeepAliveTimeout"/>; from the first byte of a head the client has <see cref="HttpLimits.RequestHeadersTimeout"/>.
/// A wait past its deadline is woken with <see cref="PipeReader.CancelPendingRead"/> and its status becomes <see cref="HeadWaitStatus.TimedOut"/>.
/// </summary>
/// <param name="input">The connection's input, whose read a timeout wakes.</param>
/// <param name="limits">The server's limits.</param>
public sealed class HeadDeadline(PipeReader input, HttpLimits limits)
{
    private long _deadline = long.MaxValue;
    private int _status;

    /// <summary>Where the wait stands; read by the host that stops the connection (an idle one is woken at once).</summary>
    public HeadWaitStatus Status => (HeadWaitStatus)Volatile.Read(ref _status);

    /// <summary>
    /// Starts a wait for the network while a head is read: the keep-alive timeout when none of the head has come yet
    /// (<paramref name="headStarted"/> false), else the head's own (<see cref="HttpLimits.RequestHeadersTimeout"/>) from now. A
    /// wait already started keeps its deadline, so a head sent a byte at a time cannot push it back. Called only when the
    /// connection is about to wait: a head already received (the next of pipelined requests) costs no clock reading.
    /// </summary>
    public void StartWaiting(bool headStarted = false)
    {
        if (Volatile.Read(ref _status) == (int)HeadWaitStatus.Waiting)
            return;
        Volatile.Write(ref _deadline, DeadlineAfter(headStarted ? limits.RequestHeadersTimeout : limits.KeepAliveTimeout));
        Volatile.Write(ref _status, (int)HeadWaitStatus.Waiting);
    }

    /// <summary>The head's first byte came during a wait: the clock for a slow client (<see cref="HttpLimits.RequestHeadersTimeout"/>) starts now.</summary>
    public void HeadStarted()
    {
        if (Volatile.Read(ref _status) == (int)HeadWaitStatus.Waiting)
            Volatile.Write(ref _deadline, DeadlineAfter(limits.RequestHeadersTimeout));
    }

    /// <summary>
    /// Ends the wait; true when the heartbeat timed it out first. Its wake-up may then still be on its way and would cut
    /// short a later read, so a head completed just as its time ran out is not served: the connection closes.
    /// </summary>
    public bool StopWaiting() =>
        Volatile.Read(ref _status) != (int)HeadWaitStatus.NotWaiting && // no wait started: nothing the heartbeat could have changed
        Interlocked.Exchange(ref _status, (int)HeadWaitStatus.NotWaiting) == (int)HeadWaitStatus.TimedOut;

    /// <summary>Called by the server's heartbeat with <see cref="Environment.TickCount64"/>: a wait past its deadline is timed out and its read woken.</summary>
    public void OnHeartbeat(long now)
    {
        if (now < Volatile.Read(ref _deadline) ||
            Interlocked.CompareExchange(ref _status, (int)HeadWaitStatus.TimedOut, (int)HeadWaitStatus.Waiting) != (int)HeadWaitStatus.Waiting)
            return;
        try
        {
            input.CancelPendingRead();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The connection closed meanwhile: nothing left to wake.
        }
    }

    /// <summary>
    /// How often a server's heartbeat visits its connections for <paramref name="limits"/>: each second, as Kestrel's does, or a
    /// quarter of the shortest timeout when that is under four seconds, so a timeout fires at most a quarter late (never under 10 ms).
    /// </summary>
    public static TimeSpan HeartbeatPeriod(HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var period = TimeSpan.FromSeconds(1);
        foreach (var timeout in (ReadOnlySpan<TimeSpan>)[limits.KeepAliveTimeout, limits.RequestHeadersTimeout])
        {
            if (timeout != Timeout.InfiniteTimeSpan && timeout / 4 < period)
                period = timeout / 4;
        }
        return period < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : period;
    }

    private static long DeadlineAfter(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
}
