using System.IO.Pipelines;

namespace HostKit.Hosts;

/// <summary>
/// <see cref="IPipeTransport"/> over the pipes of a transport the host does not own (Kestrel's
/// <c>ConnectionContext.Transport</c>, say): the host says how the connection is dropped and, when it can do better than
/// the default, how its sending side ends. After a websocket upgrade the same pipes carry the websocket (the kit's
/// pipe-to-<see cref="Stream"/> adapter).
/// </summary>
/// <param name="pipe">The connection's pipes, which stay the transport's.</param>
/// <param name="abort">Drops the connection at once (Kestrel's <c>ConnectionContext.Abort</c>).</param>
/// <param name="closeOutput">Ends the sending side once what was written has gone out; null completes <see cref="Output"/>,
/// which a transport with its own send loop takes as "send what waits, then close" (Kestrel's socket transport cannot
/// half-close, so its input ends too).</param>
public sealed class DuplexPipeTransport(IDuplexPipe pipe, Action abort, Func<ValueTask>? closeOutput = null) : IPipeTransport
{
    private readonly IDuplexPipe _pipe = pipe ?? throw new ArgumentNullException(nameof(pipe));
    private readonly Action _abort = abort ?? throw new ArgumentNullException(nameof(abort));

    /// <inheritdoc />
    public PipeReader Input => _pipe.Input;

    /// <inheritdoc />
    public PipeWriter Output => _pipe.Output;

    /// <inheritdoc />
    public async ValueTask CloseOutputAsync()
    {
        if (closeOutput is null)
            await Output.CompleteAsync();
        else
            await closeOutput();
    }

    /// <inheritdoc />
    public void Abort() => _abort();
}
