using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using HostKit.Engines.Uring.Native;

namespace HostKit.Engines.Uring.Ring;

/// <summary>
/// The engine's loop: one thread that owns one ring. Each turn it runs what other threads posted, submits every
/// entry written since the last turn with one <c>io_uring_enter</c> (which also sleeps until a completion is
/// ready), then hands each completion to its operation, on this thread: the protocol code that continues there
/// writes its next submissions straight into the ring, for the next turn. Other threads post work and wake the
/// loop through an eventfd the ring itself reads.
/// </summary>
internal sealed unsafe class UringLoop : IDisposable
{
    private const ulong IgnoredUserData = ulong.MaxValue; // cancels: their own completions carry nothing

    private readonly UringRing _ring;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<IRingWork> _posted = new();
    private readonly WakeOperation _wake;
    private RingOperation?[] _operations = new RingOperation?[64];
    private readonly Stack<int> _freeSlots = new();
    private int _usedSlots;
    private int _sleeping;
    private volatile bool _running = true;

    private UringLoop(UringRing ring, string name)
    {
        _ring = ring;
        _wake = new WakeOperation(this);
        Register(_wake);
        Submit(_wake);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>Sets up a ring (throwing <see cref="UringUnavailableException"/> when the kernel refuses) and starts its thread.</summary>
    public static UringLoop Start(string name, uint entries = 4096)
    {
        var ring = UringRing.Create(entries);
        try
        {
            var loop = new UringLoop(ring, name);
            loop._thread.Start();
            return loop;
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary>True on the loop's own thread, where the ring may be written directly.</summary>
    public bool IsOnLoop => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>Gives <paramref name="operation"/> a slot, so its completions find it.</summary>
    public void Register(RingOperation operation)
    {
        lock (_freeSlots)
        {
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _usedSlots++;
            if (slot == _operations.Length)
                Array.Resize(ref _operations, _operations.Length * 2);
            _operations[slot] = operation;
            operation.Slot = slot;
        }
    }

    /// <summary>Frees <paramref name="operation"/>'s slot; only once the kernel holds none of its submissions.</summary>
    public void Unregister(RingOperation operation)
    {
        lock (_freeSlots)
        {
            _operations[operation.Slot] = null;
            _freeSlots.Push(operation.Slot);
            operation.Slot = -1;
        }
    }

    /// <summary>Runs <paramref name="work"/> on the loop: now when called there, else at the loop's next turn.</summary>
    public void Post(IRingWork work)
    {
        if (IsOnLoop)
        {
            work.Run(this);
            return;
        }
        _posted.Enqueue(work);
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            Wake();
    }

    /// <summary>Writes <paramref name="operation"/>'s submission into the ring (loop thread only); the turn's end submits it.</summary>
    public void Submit(RingOperation operation)
    {
        var entry = NextEntry();
        operation.Generation++;
        operation.Prepare(entry);
        entry->UserData = operation.UserData;
    }

    /// <summary>Asks the kernel to cancel the submission with <paramref name="userData"/> (loop thread only).</summary>
    public void Cancel(ulong userData)
    {
        var entry = NextEntry();
        entry->Opcode = Submission.OpAsyncCancel;
        entry->Address = userData;
        entry->UserData = IgnoredUserData;
    }

    /// <summary>Asks the kernel to cancel every submission on descriptor <paramref name="fd"/> (loop thread only).</summary>
    public void CancelAll(int fd)
    {
        var entry = NextEntry();
        entry->Opcode = Submission.OpAsyncCancel;
        entry->Fd = fd;
        entry->OpFlags = Submission.CancelFd | Submission.CancelAll;
        entry->UserData = IgnoredUserData;
    }

    /// <summary>Ends the loop after its current turn; the ring closes with it.</summary>
    public void Dispose()
    {
        Post(new StopWork());
        if (!IsOnLoop)
            _thread.Join();
    }

    private Submission* NextEntry()
    {
        while (true)
        {
            var entry = _ring.Next();
            if (entry is not null)
                return entry;
            // Full: hand what is written to the kernel now, without waiting, and take the next free entry.
            _ring.Enter(wait: false);
        }
    }

    private void Run()
    {
        try
        {
            while (_running)
            {
                while (_posted.TryDequeue(out var work))
                    work.Run(this);
                if (!_running)
                    break;
                _ring.Enter(wait: MaySleep());
                Volatile.Write(ref _sleeping, 0);
                while (_ring.TryTake(out var completion))
                    Dispatch(completion);
            }
        }
        finally
        {
            // Closing the ring cancels what the kernel still holds. The wake buffer is left to the process:
            // the kernel may still write it while the ring's teardown runs.
            _ring.Dispose();
            LinuxCalls.Close(_wake.EventFd);
        }
    }

    // Announce the sleep before the last look at the queue, so a post after that look always wakes the ring. A full
    // fence, not a volatile write: a store may otherwise wait in the processor's store buffer past the look at the
    // queue (x86 reorders a store with a later load), and a poster that enqueued meanwhile reads 0 and does not wake.
    private bool MaySleep()
    {
        Interlocked.Exchange(ref _sleeping, 1);
        if (_posted.IsEmpty)
            return true;
        Volatile.Write(ref _sleeping, 0);
        return false;
    }

    private void Dispatch(in Completion completion)
    {
        if (completion.UserData == IgnoredUserData)
            return;
        var slot = (int)(uint)completion.UserData;
        var operation = slot < _operations.Length ? _operations[slot] : null;
        if (operation is not null && operation.UserData == completion.UserData)
            operation.Complete(completion.Result, completion.Flags);
    }

    private void Wake()
    {
        ulong one = 1;
        LinuxCalls.Write(_wake.EventFd, &one, sizeof(ulong));
    }

    private sealed class StopWork : IRingWork
    {
        public void Run(UringLoop loop) => loop._running = false;
    }

    /// <summary>The eventfd the loop sleeps on besides its sockets: always one read of it in the ring.</summary>
    private sealed class WakeOperation : RingOperation
    {
        private readonly ulong* _buffer = (ulong*)NativeMemory.Alloc(sizeof(ulong));
        private readonly UringLoop _loop;

        public WakeOperation(UringLoop loop)
        {
            _loop = loop;
            EventFd = LinuxCalls.EventFd(0, LinuxCalls.EfdCloexec);
            if (EventFd < 0)
                throw new UringUnavailableException($"eventfd failed with errno {LinuxCalls.LastError}");
        }

        public int EventFd { get; }

        public override void Prepare(Submission* entry)
        {
            entry->Opcode = Submission.OpRead;
            entry->Fd = EventFd;
            entry->Address = (ulong)_buffer;
            entry->Length = sizeof(ulong);
        }

        public override void Complete(int result, uint flags)
        {
            if (_loop._running)
                _loop.Submit(this);
        }
    }
}
