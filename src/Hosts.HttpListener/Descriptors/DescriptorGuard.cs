using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// Keeps HttpListener alive at the file-descriptor limit. Its engine accepts every connection itself, and when an accept
/// fails for want of a descriptor it tries again at once, recursively, until the stack overflows and the process dies
/// (.NET's managed <c>HttpEndPointListener.ProcessAccept</c>; measured: 1,199 failed <c>accept4</c> calls, then
/// "Out of memory."). The adapter cannot change that loop, so it makes sure the retry finds a descriptor: it holds a
/// reserve of descriptors, and on the first failed accept (heard through <see cref="AcceptFailureListener"/>, on the
/// failing thread, before the retry) it gives the reserve back and closes the <see cref="ListeningSocketGate"/>. The
/// retries then take what is queued (at most the backlog, kept below the reserve) and find the queue empty; new clients
/// wait in TCP's SYN retries. Once connections have closed and descriptors are free again, the reserve is taken back and
/// the gate opens.
/// </summary>
internal sealed partial class DescriptorGuard : IDisposable
{
    private const int MaxReserve = 256;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly ListeningSocketGate _gate;
    private readonly DescriptorBudget _budget;
    private readonly ILogger _logger;
    private readonly int _reserveSize;
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly AcceptFailureListener _failures;
    private List<SafeFileHandle> _reserve = [];
    private bool _closed;
    private long _lastLog = long.MinValue;
    private long _refusals;

    private DescriptorGuard(ListeningSocketGate gate, DescriptorBudget budget, ILogger logger)
    {
        (_gate, _budget, _logger) = (gate, budget, logger);
        // The budget's reserve, at most MaxReserve: a process may run several servers, and each holds its own.
        _reserveSize = (int)Math.Min(budget.Reserve, MaxReserve);
        // Whatever is queued when the gate closes is accepted from the reserve: the queue must be shorter than it.
        _gate.LimitBacklog(_reserveSize / 2);
        TakeReserve();
        _timer = new Timer(_ => ReopenIfFree(), null, Timeout.Infinite, Timeout.Infinite);
        CompileFailurePath();
        _failures = new AcceptFailureListener(OnOutOfDescriptors);
    }

    /// <summary>
    /// Compiles, now, the code that runs when no descriptor is free: compiling it then could load an assembly, which
    /// fails without a descriptor (and stays failed), and the reserve would never be given back.
    /// </summary>
    private void CompileFailurePath()
    {
        foreach (var method in new Delegate[] { OnOutOfDescriptors, ReleaseReserve, _gate.Close })
            RuntimeHelpers.PrepareMethod(method.Method.MethodHandle);
        AcceptFailureListener.CompileHandler();
    }

    /// <summary>Guards the sockets this process listens on at <paramref name="ports"/>; null where it cannot (not Linux, no limit, no socket found).</summary>
    public static DescriptorGuard? Start(IReadOnlyCollection<int> ports, ILogger logger) =>
        DescriptorBudget.OfThisProcess() is { } budget && ListeningSocketGate.Find(ports) is { } gate
            ? new DescriptorGuard(gate, budget, logger)
            : null;

    public void Dispose()
    {
        _failures.Dispose();
        _timer.Dispose();
        lock (_lock)
            ReleaseReserve();
    }

    /// <summary>An accept just failed for want of descriptors, and its retry comes right after this returns.</summary>
    private void OnOutOfDescriptors()
    {
        lock (_lock)
        {
            _refusals++;
            if (!_closed)
            {
                _closed = true;
                // The reserve first: the retry, the queued connections and the runtime need the descriptors now.
                ReleaseReserve();
                _gate.Close();
                _timer.Change(CheckInterval, CheckInterval);
            }
            if (Environment.TickCount64 - _lastLog < LogInterval.TotalMilliseconds && _lastLog != long.MinValue)
                return;
            _lastLog = Environment.TickCount64;
        }
        OutOfDescriptors(_logger, _budget.Limit, Interlocked.Exchange(ref _refusals, 0));
    }

    /// <summary>While closed: opens again once connections have closed, so that the reserve can be taken back with a quarter as much to spare.</summary>
    private void ReopenIfFree()
    {
        lock (_lock)
        {
            if (!_closed || FreeDescriptors() < _reserveSize + _reserveSize / 4)
                return;
            TakeReserve();
            _gate.Open();
            _closed = false;
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
        }
        Accepting(_logger);
    }

    private long FreeDescriptors()
    {
        try
        {
            return _budget.Limit - Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void TakeReserve()
    {
        var reserve = new List<SafeFileHandle>(_reserveSize);
        try
        {
            for (var i = 0; i < _reserveSize; i++)
                reserve.Add(File.OpenHandle("/dev/null"));
        }
        catch (IOException)
        {
            // As many as there are: the rest is taken back with the next check.
        }
        _reserve = reserve;
    }

    private void ReleaseReserve()
    {
        foreach (var handle in _reserve)
            handle.Dispose();
        _reserve = [];
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Out of file descriptors (limit {Limit}): new connections wait until connections close ({Refusals} failed accepts since the last line). HttpListener accepts every connection itself; put a proxy that caps connections in front, or raise ulimit -n")]
    private static partial void OutOfDescriptors(ILogger logger, long limit, long refusals);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "File descriptors are free again: accepting new connections")]
    private static partial void Accepting(ILogger logger);
}
