using System.Net.Sockets;
using HostKit.Hosts.Uring.Native;
using HostKit.Hosts.Uring.Ring;

namespace HostKit.Hosts.Uring;

/// <summary>
/// One submission that accepts every connection on a listening socket (IORING_ACCEPT_MULTISHOT): each accepted
/// descriptor is a completion, handed to <paramref name="accepted"/> on the loop's thread. The kernel ends a
/// multishot accept now and then (say, out of descriptors); it is submitted again unless the server is stopping.
/// </summary>
internal sealed unsafe class MultishotAccept(UringLoop loop, Socket listener, Action<int> accepted, Action<int> failed) : RingOperation
{
    private const int EMFILE = 24;
    private const int ENFILE = 23;
    private static readonly TimeSpan OutOfDescriptorsPause = TimeSpan.FromMilliseconds(100);

    private volatile bool _stopped;

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

    public override void Run(UringLoop loop)
    {
        if (!_stopped)
            loop.Submit(this);
    }

    public override void Prepare(Submission* entry)
    {
        entry->Opcode = Submission.OpAccept;
        entry->Fd = (int)listener.Handle;
        entry->IoPriority = Submission.AcceptMultishot;
        entry->OpFlags = Submission.SockCloexec;
    }

    public override void Complete(int result, uint flags)
    {
        if (result >= 0)
            accepted(result);
        else if (result != -LinuxCalls.ECANCELED)
            failed(-result);
        if ((flags & Completion.More) != 0)
            return;
        if (_stopped)
        {
            loop.Unregister(this);
            listener.Dispose();
        }
        else if (result is -EMFILE or -ENFILE)
            _ = ResubmitLaterAsync(); // at once would spin: wait for descriptors to come back
        else
            loop.Submit(this);
    }

    private Task ResubmitLaterAsync() => Task.Delay(OutOfDescriptorsPause).ContinueWith(_ => loop.Post(this), TaskScheduler.Default);

    private sealed class StopWork(MultishotAccept accept) : IRingWork
    {
        public void Run(UringLoop loop) => loop.Cancel(accept.UserData);
    }
}
