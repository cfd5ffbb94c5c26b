using System.IO.Pipelines;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts;

/// <summary>
/// The request-head timeouts of a pipe-based host, one per connection: between requests the connection may idle for
/// <see cref="HttpLimits.KeepAliveTimeout"/> and is then closed quietly; from the first byte of a head, the client has
/// <see cref="HttpLimits.RequestHeadersTimeout"/> to finish it, or gets a 408 (<see cref="RequestRejection.HeadersTimeout"/>).
/// </summary>
/// <remarks>
/// One timer per connection, re-armed for each head and wound down while the application runs. A timeout wakes the
/// read with <see cref="PipeReader.CancelPendingRead"/>, so no bytes are lost and no exception is thrown. A wake-up
/// that lands just as a head completes could cut short the next read, so such a head is not served: the connection
/// closes (<see cref="HeadStatus.NeedMore"/>).
/// </remarks>
public sealed class HeadReadTimeouts : IDisposable
{
    private const int NotWaiting = 0;
    private const int Waiting = 1;
    private const int TimedOut = 2;

    private readonly PipeReader _input;
    private readonly HttpLimits _limits;
    private readonly ITimer _timer;
    private int _wait;

    /// <summary>Times reads of heads from <paramref name="input"/> by <paramref name="limits"/>.</summary>
    /// <param name="input">The connection's input.</param>
    /// <param name="limits">The server's limits: <see cref="HttpLimits.KeepAliveTimeout"/> and <see cref="HttpLimits.RequestHeadersTimeout"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    public HeadReadTimeouts(PipeReader input, HttpLimits limits, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        (_input, _limits) = (input, limits);
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(static state => ((HeadReadTimeouts)state!).OnTimeout(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Reads a head as <see cref="Http1Pipes.ReadHeadAsync"/> does, within the timeouts: <see cref="HeadStatus.Rejected"/>
    /// with <see cref="RequestRejection.HeadersTimeout"/> for a head begun and not finished in time, <see cref="HeadStatus.NeedMore"/>
    /// for a connection idle past its keep-alive (or woken by the host, or ended by the client): close it.
    /// </summary>
    public async ValueTask<HeadStatus> ReadHeadAsync(Http1Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        Volatile.Write(ref _wait, Waiting);
        Arm(_limits.KeepAliveTimeout);
        HeadStatus status;
        bool timedOut;
        try
        {
            status = await ReadWithinTimeoutsAsync(protocol);
        }
        finally
        {
            Arm(Timeout.InfiniteTimeSpan);
            timedOut = Interlocked.Exchange(ref _wait, NotWaiting) == TimedOut;
        }
        return timedOut && status == HeadStatus.Complete ? HeadStatus.NeedMore : status;
    }

    private async ValueTask<HeadStatus> ReadWithinTimeoutsAsync(Http1Protocol protocol)
    {
        while (true)
        {
            var read = await _input.ReadAsync();
            if (read.IsCanceled && Volatile.Read(ref _wait) == TimedOut && protocol.Phase == Http1Phase.ReadingHead)
            {
                _input.AdvanceTo(read.Buffer.Start);
                protocol.Reject(RequestRejection.HeadersTimeout); // too slow sending a head: say so
                return HeadStatus.Rejected;
            }
            var wasIdle = protocol.Phase == Http1Phase.Idle;
            var status = protocol.ReadHead(read.Buffer, out var consumed, out var examined);
            _input.AdvanceTo(consumed, examined);
            if (wasIdle && protocol.Phase == Http1Phase.ReadingHead)
                Arm(_limits.RequestHeadersTimeout); // the clock for a slow client starts with its first byte
            if (status != HeadStatus.NeedMore)
                return status;
            if (read.IsCompleted || read.IsCanceled)
            {
                if (read.IsCompleted && protocol.Phase == Http1Phase.ReadingHead)
                    protocol.Reject(RequestRejection.IncompleteHead); // a request cut short, which the client hears about
                return protocol.Phase == Http1Phase.Error ? HeadStatus.Rejected : HeadStatus.NeedMore;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Arm(TimeSpan timeout) => _timer.Change(timeout, Timeout.InfiniteTimeSpan);

    private void OnTimeout()
    {
        if (Interlocked.CompareExchange(ref _wait, TimedOut, Waiting) != Waiting)
            return;
        try
        {
            _input.CancelPendingRead();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The connection closed meanwhile: nothing left to wake.
        }
    }
}
