using System.Collections.Concurrent;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The open connections of a host that owns its sockets: held to <see cref="HostRuntime.ConnectionLimit"/>,
/// reported to <see cref="HostMetrics"/>, and stopped the way <see cref="GracefulStop"/> says. One heartbeat per set
/// (<see cref="HeadDeadline.HeartbeatPeriod"/>, from the first connection until <see cref="AbortAllAsync"/>) visits every
/// connection (<see cref="IHostConnection.OnHeartbeat"/>), so that no connection holds a timer of its own.
/// </summary>
/// <typeparam name="TConnection">The host's connection type.</typeparam>
/// <param name="runtime">The server.</param>
public sealed class ConnectionSet<TConnection>(HostRuntime runtime) where TConnection : class, IHostConnection
{
    private readonly ConcurrentDictionary<TConnection, byte> _open = new();
    private readonly Lock _emptyGate = new();

    // Completed by the Forget that empties the set, once someone waits for that: a stop returns only after every
    // connection is forgotten and counted closed, not merely completed (the count comes just after).
    private TaskCompletionSource? _emptied;

    // The heartbeat: started by the first Add, ended by AbortAllAsync (the last step of every stop).
    private Timer? _heartbeat;

    // Connections admitted at accept (TryAdmit) whose object has not been added yet: counted against the limit with the open ones.
    private int _admitted;

    /// <summary>How many are open.</summary>
    public int Count => _open.Count;

    /// <summary>True when one more connection would be over <see cref="HostRuntime.ConnectionLimit"/>: refuse it (<see cref="RequestRejection.TooManyConnections"/>).</summary>
    public bool IsFull => !runtime.ConnectionLimit.Admits(_open.Count + Volatile.Read(ref _admitted));

    /// <summary>
    /// Counts one connection against the limit as it is accepted, before the object that serves it exists: for an engine
    /// that accepts on one thread and serves on another (Kestrel's), where a burst of accepts would otherwise pass the
    /// limit before the first connection is added. False means refuse it (<see cref="RequestRejection.TooManyConnections"/>).
    /// Once admitted, the connection is added (<see cref="Add"/>) and then <see cref="EndAdmission"/> is called.
    /// </summary>
    public bool TryAdmit()
    {
        if (runtime.ConnectionLimit.Admits(_open.Count + Interlocked.Increment(ref _admitted) - 1))
            return true;
        Interlocked.Decrement(ref _admitted);
        return false;
    }

    /// <summary>Ends a <see cref="TryAdmit"/>: after its connection was added (it counts as open now), or when it never will be.</summary>
    public void EndAdmission() => Interlocked.Decrement(ref _admitted);

    /// <summary>Tracks <paramref name="connection"/> until its <see cref="IHostConnection.Completion"/>, which must already stand for its whole run.</summary>
    public void Add(TConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _open.TryAdd(connection, 0);
        runtime.Metrics.ConnectionOpened();
        ForgetWhenClosed(connection);
        if (Volatile.Read(ref _heartbeat) is null)
            StartHeartbeat();
    }

    private void StartHeartbeat()
    {
        var period = HeadDeadline.HeartbeatPeriod(runtime.Options.Limits);
        Timer timer;
        using (ExecutionContext.SuppressFlow()) // the first connection's context (its activity, say) is not the heartbeat's
            timer = new Timer(static set => ((ConnectionSet<TConnection>)set!).Beat(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _heartbeat, timer, null) is null)
            timer.Change(period, period);
        else
            timer.Dispose();
    }

    private void Beat()
    {
        var now = Environment.TickCount64;
        foreach (var (connection, _) in _open)
            connection.OnHeartbeat(now);
    }

    /// <summary>
    /// Tracks <paramref name="successor"/> in place of <paramref name="current"/>, counted as the same connection:
    /// for a host that carries a connection on in another object, such as a websocket after its upgrade, so that
    /// the object it leaves (with its HTTP state) can be collected. <paramref name="current"/>'s completion then
    /// no longer closes anything; <paramref name="successor"/>'s does.
    /// </summary>
    public void Replace(TConnection current, TConnection successor)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(successor);
        // The successor first: a stop that looks in between sees the connection at least once.
        _open.TryAdd(successor, 0);
        if (!_open.TryRemove(current, out _))
        {
            _open.TryRemove(successor, out _);
            throw new InvalidOperationException("Only a connection that is open can be replaced.");
        }
        ForgetWhenClosed(successor);
    }

    private void ForgetWhenClosed(TConnection connection) =>
        // A bare continuation (one delegate) rather than ContinueWith (a delegate, a task and a wrapper): an idle
        // websocket is a connection too, and a server holds thousands of them.
        connection.Completion.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => Forget(connection));

    private void Forget(TConnection connection)
    {
        if (!_open.TryRemove(connection, out _))
            return;
        runtime.Metrics.ConnectionClosed();
        lock (_emptyGate)
        {
            if (_open.IsEmpty)
                _emptied?.TrySetResult();
        }
    }

    /// <summary>Calls <paramref name="action"/> on every open connection, without copying the set (a heartbeat visits thousands each second).</summary>
    public void ForEach(Action<TConnection> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        foreach (var (connection, _) in _open)
            action(connection);
    }

    /// <summary>Asks every connection to close after its current request.</summary>
    public void RequestStopAll()
    {
        foreach (var connection in _open.Keys)
            connection.RequestStop();
    }

    /// <summary>Completes when every connection has closed on its own.</summary>
    public Task WhenAllClosedAsync(CancellationToken cancellationToken) => WhenEmpty().WaitAsync(cancellationToken);

    /// <summary>Drops every connection still open and waits (bounded) until they are gone.</summary>
    public async Task AbortAllAsync()
    {
        foreach (var connection in _open.Keys)
            connection.Abort();
        await WhenEmpty().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (Interlocked.Exchange(ref _heartbeat, null) is { } heartbeat)
            await heartbeat.DisposeAsync();
    }

    /// <summary>Completes when no connection is open (and every one that was has been counted closed).</summary>
    private Task WhenEmpty()
    {
        lock (_emptyGate)
        {
            if (_open.IsEmpty)
                return Task.CompletedTask;
            if (_emptied is null || _emptied.Task.IsCompleted)
                _emptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _emptied.Task;
        }
    }
}
