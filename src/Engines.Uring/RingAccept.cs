using System.Net.Sockets;
using HostKit.Engines.Uring.Native;
using HostKit.Engines.Uring.Ring;

namespace HostKit.Engines.Uring;

/// <summary>
/// The accept of one listening socket, one connection at a time: each accepted descriptor is a completion, handed to
/// <paramref name="accepted"/> on the loop's thread, and the accept is submitted again after it. Not multishot
/// (IORING_ACCEPT_MULTISHOT), on purpose: a multishot accept takes every connection waiting in the backlog before the
/// loop sees the first, so a burst ran the process to its descriptor limit however low the connection limit was; one
/// at a time, the kernel holds at most one descriptor the loop has not yet admitted or refused (<paramref name="accepted"/>
/// does either). An accept that failed otherwise goes to <paramref name="failed"/> with its errno. Out of descriptors
/// (EMFILE, ENFILE), it is submitted again once the task <paramref name="backOff"/> returns completes (the host's back-off:
/// a line per interval, then a pause).
/// </summary>
internal sealed unsafe class RingAccept(UringLoop loop, Socket listener, Action<int> accepted, Action<int> failed, Func<Task> backOff) : RingOperation
{
    private volatile bool _stopped;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the listener is closed (after <see cref="Stop"/>): its port or unix socket file is free then.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Submits the accept (any thread).</summary>
    public void Start()
    {
        loop.Register(this);
        loop.Post(this);
    }

    /// <summary>Stops accepting: cancels the submission, then closes the listener (any thread).</summary>
    public void Stop()
    {
        _stopped = true;
        loop.Post(new StopWork(this));
    }

    // Posted at start and after a back-off, when the kernel holds no submission of it.
    public override void Run(UringLoop loop)
    {
        if (_stopped)
            Close();
        else
            loop.Submit(this);
    }

    public override void Prepare(Submission* entry)
    {
        entry->Opcode = Submission.OpAccept;
        entry->Fd = (int)listener.Handle;
        entry->OpFlags = Submission.SockCloexec;
    }

    public override void Complete(int result, uint flags)
    {
        if (result >= 0)
            accepted(result);
        else if (result != -LinuxCalls.ECANCELED && !LinuxCalls.IsOutOfDescriptors(-result))
            failed(-result);
        if (_stopped)
            Close();
        else if (LinuxCalls.IsOutOfDescriptors(-result))
            _ = ResubmitLaterAsync(); // at once would spin: wait for descriptors to come back
        else
            loop.Submit(this);
    }

    private void Close()
    {
        if (_closed.Task.IsCompleted)
            return;
        loop.Unregister(this);
        listener.Dispose();
        _closed.TrySetResult();
    }

    private Task ResubmitLaterAsync() => backOff().ContinueWith(_ => loop.Post(this), TaskScheduler.Default);

    private sealed class StopWork(RingAccept accept) : IRingWork
    {
        public void Run(UringLoop loop) => loop.Cancel(accept.UserData);
    }
}
