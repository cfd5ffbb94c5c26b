using BenchmarkDotNet.Attributes;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// Proof that the memory diagnoser counts allocations made on other threads, which the end-to-end benchmarks
/// rely on (a server allocates on its own threads): each operation has a worker thread allocate a 1000-byte
/// array (1024 B with its header) while the benchmark thread allocates nothing. "Allocated" reads 1024 B when
/// the diagnoser counts the whole process (<c>GC.GetTotalAllocatedBytes(precise: true)</c>), 0 B if it counted
/// the benchmark thread alone.
/// </summary>
[MemoryDiagnoser]
public class AllocationCountingCheckBenchmarks
{
    private static object? s_kept;
    private Thread _worker = null!;
    private long _asked;
    private long _done;
    private volatile bool _stop;

    [GlobalSetup]
    public void Setup()
    {
        _worker = new Thread(Work) { IsBackground = true };
        _worker.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _worker.Join();
    }

    [Benchmark]
    public long AllocateOnAnotherThread()
    {
        var asked = Interlocked.Increment(ref _asked);
        var spin = default(SpinWait);
        while (Volatile.Read(ref _done) != asked)
            spin.SpinOnce(sleep1Threshold: -1);
        return asked;
    }

    private void Work()
    {
        var spin = default(SpinWait);
        while (!_stop)
        {
            if (Volatile.Read(ref _asked) == Volatile.Read(ref _done))
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            Volatile.Write(ref s_kept, new byte[1000]);
            Interlocked.Increment(ref _done);
        }
    }
}
