using System.Runtime.CompilerServices;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// Keeps alive, at the file-descriptor limit, a server whose engine accepts every connection itself, from listening
/// sockets it opened itself, so that the host can neither refuse a connection (<see cref="ConnectionRefusal"/>) nor pause
/// its accept loop (<see cref="AcceptLoop"/>). Such a loop fails at the limit in the engine's own way: HttpListener's
/// retries a failed accept at once, recursively, until the stack overflows and the process dies (.NET's managed
/// <c>HttpEndPointListener.ProcessAccept</c>; measured: 1,199 failed <c>accept4</c> calls, then "Out of memory."). The
/// guard makes sure the retry finds a descriptor: it holds a <see cref="DescriptorReserve"/>, and on the first failed
/// accept (heard through <see cref="AcceptFailureListener"/>, on the failing thread, before the retry) it gives the reserve
/// back and closes the <see cref="ListeningSocketGate"/>. The retries then take what is queued (at most the backlog, kept
/// below the reserve) and find the queue empty; new clients wait in TCP's SYN retries. Once connections have closed and
/// descriptors are free again, the reserve is taken back and the gate opens. Linux only.
/// </summary>
public sealed class DescriptorGuard : IDisposable
{
    private const int MaxReserve = 256;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly ListeningSocketGate _gate;
    private readonly DescriptorBudget _budget;
    private readonly DescriptorReserve _reserve;
    private readonly HostRuntime _runtime;
    private readonly RateLimitedLog _log = new(perWindow: 1, window: TimeSpan.FromSeconds(10), TimeProvider.System);
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly AcceptFailureListener _failures;
    private bool _closed;

    private DescriptorGuard(ListeningSocketGate gate, DescriptorBudget budget, HostRuntime runtime)
    {
        (_gate, _budget, _runtime) = (gate, budget, runtime);
        // The budget's reserve, at most MaxReserve: a process may run several servers, and each holds its own.
        _reserve = new DescriptorReserve((int)Math.Min(budget.Reserve, MaxReserve));
        // Whatever is queued when the gate closes is accepted from the reserve: the queue must be shorter than it.
        _gate.LimitBacklog(_reserve.Size / 2);
        _reserve.Take();
        _timer = new Timer(_ => ReopenIfFree(), null, Timeout.Infinite, Timeout.Infinite);
        CompileFailurePath();
        _failures = new AcceptFailureListener(OnOutOfDescriptors);
    }

    /// <summary>
    /// Guards the TCP sockets this process listens on at <paramref name="ports"/>, which the engine opened and accepts on
    /// itself; null where it cannot (not Linux, no descriptor limit, no such socket found). Dispose it before the engine
    /// closes its sockets, whose descriptors the gate names.
    /// </summary>
    public static DescriptorGuard? Start(IReadOnlyCollection<int> ports, HostRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(runtime);
        return DescriptorBudget.OfThisProcess() is { } budget && ListeningSocketGate.Find(ports) is { } gate
            ? new DescriptorGuard(gate, budget, runtime)
            : null;
    }

    /// <summary>
    /// What a host whose engine accepts every connection itself says on its start line instead of a limit: the limit it
    /// should keep, and, when <paramref name="guard"/> is there, what happens out of descriptors (docs/limits.md).
    /// </summary>
    public static string StartLine(ConnectionLimit limit, DescriptorGuard? guard)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return $"no connection limit: the engine accepts every connection itself (the limit it should keep: {limit.Description})" +
            (guard is null ? "" : "; out of descriptors, new connections wait until connections close");
    }

    /// <summary>Stops guarding and gives the reserve back.</summary>
    public void Dispose()
    {
        _failures.Dispose();
        _timer.Dispose();
        lock (_lock)
            _reserve.Release();
    }

    /// <summary>
    /// Compiles, now, the code that runs when no descriptor is free: compiling it then could load an assembly, which
    /// fails without a descriptor (and stays failed), and the reserve would never be given back.
    /// </summary>
    private void CompileFailurePath()
    {
        foreach (var method in new Delegate[] { OnOutOfDescriptors, _reserve.Release, _gate.Close })
            RuntimeHelpers.PrepareMethod(method.Method.MethodHandle);
        AcceptFailureListener.CompileHandler();
    }

    /// <summary>An accept just failed for want of descriptors, and its retry comes right after this returns.</summary>
    private void OnOutOfDescriptors()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _closed = true;
                // The reserve first: the retry, the queued connections and the runtime need the descriptors now.
                _reserve.Release();
                _gate.Close();
                _timer.Change(CheckInterval, CheckInterval);
            }
        }
        if (_log.TryEnter(out var suppressed))
            HostLog.EngineOutOfDescriptors(_runtime.Logger, _budget.Limit, suppressed + 1);
    }

    /// <summary>While closed: opens again once connections have closed, so that the reserve can be taken back with a quarter as much to spare.</summary>
    private void ReopenIfFree()
    {
        lock (_lock)
        {
            if (!_closed || _budget.FreeNow() < _reserve.Size + _reserve.Size / 4)
                return;
            _reserve.Take();
            _gate.Open();
            _closed = false;
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
        }
        HostLog.EngineAcceptingAgain(_runtime.Logger);
    }
}
