using System.Buffers;
using System.Threading.Tasks.Sources;
using HostKit.Engines.Uring.Native;
using HostKit.Engines.Uring.Ring;

namespace HostKit.Engines.Uring;

/// <summary>
/// A connection's receive, or its send: one at a time, as a stream allows. The caller's buffer is pinned while
/// the kernel holds it; a send the kernel took only part of goes on from the loop, without the caller. Its
/// completion continues the caller on the loop's thread when the connection is in a protocol step
/// (<see cref="UringStream.InlineCompletions"/>), on the thread pool otherwise.
/// </summary>
internal sealed unsafe class SocketTransfer(UringStream stream, byte opcode) : RingOperation, IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _core;
    private MemoryHandle _pin;
    private byte* _next;
    private int _remaining;
    private int _done;
    private CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private int _start; // which use this is, so a late cancel of an earlier one finds nothing
    private bool _cancelRequested;

    /// <summary>True while the kernel holds a submission of it.</summary>
    public bool InKernel { get; private set; }

    /// <summary>Starts the transfer of <paramref name="memory"/>; the result is the byte count (a receive's 0 is the end of input).</summary>
    public ValueTask<int> StartAsync(ReadOnlyMemory<byte> memory, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<int>(cancellationToken);
        _core.Reset();
        _pin = memory.Pin();
        _next = (byte*)_pin.Pointer;
        _remaining = memory.Length;
        _done = 0;
        _cancellationToken = cancellationToken;
        var start = ++_start;
        _cancelRequested = false;
        if (cancellationToken.CanBeCanceled)
            _registration = cancellationToken.UnsafeRegister(static (state, _) => ((SocketTransfer)state!).RequestCancel(), this);
        stream.Loop.Post(this);
        return new ValueTask<int>(this, _core.Version);
    }

    public override void Run(UringLoop loop)
    {
        if (_cancelRequested || stream.IsClosing)
        {
            Finish(-LinuxCalls.ECANCELED);
            return;
        }
        loop.Submit(this);
        InKernel = true;
        stream.TransferStarted();
    }

    public override void Prepare(Submission* entry)
    {
        entry->Opcode = opcode;
        entry->Fd = stream.Fd;
        entry->Address = (ulong)_next;
        entry->Length = (uint)_remaining;
        entry->OpFlags = opcode == Submission.OpSend ? Submission.MsgNoSignal : 0;
    }

    public override void Complete(int result, uint flags)
    {
        InKernel = false;
        stream.TransferEnded();
        if (opcode == Submission.OpSend && result > 0 && result < _remaining)
        {
            _next += result;
            _remaining -= result;
            _done += result;
            Run(stream.Loop);
            return;
        }
        Finish(result);
    }

    private void Finish(int result)
    {
        _registration.Unregister();
        _registration = default;
        _pin.Dispose();
        _core.RunContinuationsAsynchronously = !stream.InlineCompletions;
        if (result >= 0)
            _core.SetResult(_done + result);
        else if (result == -LinuxCalls.ECANCELED && _cancellationToken.IsCancellationRequested)
            _core.SetException(new OperationCanceledException(_cancellationToken));
        else
            _core.SetException(stream.Failure(result));
    }

    private void RequestCancel() => stream.Loop.Post(new CancelStart(this, Volatile.Read(ref _start)));

    // On the loop: cancel the kernel's submission if it is still this start's, or stop it before it is submitted.
    private void Cancel(int start)
    {
        if (start != _start)
            return;
        if (InKernel)
            stream.Loop.Cancel(UserData);
        else
            _cancelRequested = true;
    }

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private sealed class CancelStart(SocketTransfer transfer, int start) : IRingWork
    {
        public void Run(UringLoop loop) => transfer.Cancel(start);
    }
}
