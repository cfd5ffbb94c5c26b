using System.IO.Pipelines;

namespace HostKit.Hosts.Uring;

/// <summary>
/// The connection's input as the protocol steps read it (a head, a drain): bytes already received are handed over at
/// once, and only before a wait for the network are the answers written since the last wait flushed. So pipelined
/// requests that arrived together are answered with one <c>SEND</c>, not one each (each cost a loop turn, a wake from
/// the thread pool and a hop back), and an answer never waits behind a read the client cannot satisfy without it. The
/// Raw host batches the same way (its <c>ReadInputAsync</c>).
/// </summary>
internal sealed class FlushBeforeWaitReader(PipeReader input, PipeWriter output) : PipeReader
{
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (input.TryRead(out var buffered))
            return buffered;
        if (output.UnflushedBytes > 0)
            await output.FlushAsync(cancellationToken);
        return await input.ReadAsync(cancellationToken);
    }

    public override bool TryRead(out ReadResult result) => input.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => input.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => input.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => input.CancelPendingRead();

    public override void Complete(Exception? exception = null) => input.Complete(exception);
}
