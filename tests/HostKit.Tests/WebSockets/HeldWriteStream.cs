using System.IO.Pipelines;
using HostKit.Testing.WebSockets;

namespace HostKit.Tests.WebSockets;

/// <summary>
/// The server's end of an in-memory connection, whose writes can be held: it stands for a peer that
/// stopped reading at an exact point. Every write issued while held waits until <see cref="Release"/>,
/// and <see cref="WaitForHeldWriteAsync"/> says when one is waiting.
/// </summary>
internal sealed class HeldWriteStream(PipeReader input, PipeWriter output) : DuplexPipeStream(input, output)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _writeWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _held;

    /// <summary>Two connected ends, like a socket pair; only the first can hold its writes.</summary>
    public static (HeldWriteStream Server, DuplexPipeStream Client) CreateHeldPair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new HeldWriteStream(toServer.Reader, toClient.Writer), new DuplexPipeStream(toClient.Reader, toServer.Writer));
    }

    /// <summary>From now on, writes wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
            _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets every held write, and every later one, through.</summary>
    public void Release()
    {
        TaskCompletionSource? held;
        lock (_gate)
        {
            held = _held;
            _held = null;
        }
        held?.SetResult();
    }

    /// <summary>Completes once a write is waiting behind <see cref="Hold"/>.</summary>
    public Task WaitForHeldWriteAsync() => _writeWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task? held;
        lock (_gate)
        {
            held = _held?.Task;
            if (held is not null)
                _writeWaiting.TrySetResult();
        }
        // Not on the caller's token: a wait registered on it would show up in the tests that count registrations.
        // A cancelled write is the engine's to handle anyway: it aborts, which disposes this stream and releases the hold.
        if (held is not null)
            await held;
        await base.WriteAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Release();
        base.Dispose(disposing);
    }
}
