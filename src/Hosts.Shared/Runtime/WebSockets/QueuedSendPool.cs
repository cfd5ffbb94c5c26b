using System.Collections.Concurrent;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The <see cref="QueuedSend"/> entries not in use, shared by every session so that a socket holds none
/// while idle. After <c>Microsoft.Extensions.ObjectPool</c>'s default pool: one fast slot, then a
/// bounded queue; past the bound, entries are left to the GC so a burst does not stay resident.
/// </summary>
internal static class QueuedSendPool
{
    private const int MaxRetained = 1024;

    private static readonly ConcurrentQueue<QueuedSend> Retained = new();
    private static QueuedSend? _fast;
    private static int _retainedCount;

    public static QueuedSend Rent()
    {
        var fast = _fast;
        if (fast is not null && Interlocked.CompareExchange(ref _fast, null, fast) == fast)
            return fast;
        if (Retained.TryDequeue(out var entry))
        {
            Interlocked.Decrement(ref _retainedCount);
            return entry;
        }
        return new QueuedSend();
    }

    public static void Return(QueuedSend entry)
    {
        if (_fast is null && Interlocked.CompareExchange(ref _fast, entry, null) is null)
            return;
        if (Interlocked.Increment(ref _retainedCount) <= MaxRetained)
            Retained.Enqueue(entry);
        else
            Interlocked.Decrement(ref _retainedCount);
    }
}
