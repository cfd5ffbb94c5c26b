using System.Net;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// A connection after it switched to a websocket: the transport, and the application serving it until it returns. It
/// takes its <see cref="Http1PipeConnection"/>'s place among the host's connections (<see cref="Http1PipeConnection.WebSocketHandOff"/>),
/// so that an idle websocket holds none of the request loop it was upgraded on (its suspended frames, parser and response
/// writer): what it keeps is the transport, the engine's websocket and the application's own state.
/// </summary>
/// <param name="runtime">The server.</param>
/// <param name="transport">The connection, whose <see cref="IPipeTransport.Abort"/> drops it.</param>
/// <param name="aborted">The connection's abort signal (the request's <see cref="Environ.RequestAborted"/>).</param>
/// <param name="closed">The host's end of the connection (<see cref="Http1PipeConnection.Closed"/>).</param>
/// <param name="remote">The client, for the log.</param>
internal sealed class HandedOffWebSocket(HostRuntime runtime, IPipeTransport transport, CancellationTokenSource aborted, Func<ValueTask>? closed, EndPoint? remote)
    : IHostConnection
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ValueTask<ApplicationResult> _invocation;
    private Environ? _environ;

    public Task Completion => _completion.Task;

    /// <summary>Nothing to do: a stopping server closes every websocket with 1001 itself (<see cref="GracefulStop"/>).</summary>
    public void RequestStop()
    {
    }

    public void Abort()
    {
        aborted.Cancel();
        transport.Abort();
    }

    /// <summary>Closes the websocket and the connection once the application returns.</summary>
    /// <param name="invocation">The application's run, from <see cref="ApplicationInvoker.InvokeAsync"/>; consumed here only.</param>
    /// <param name="environ">The request the websocket was accepted on.</param>
    /// <remarks>
    /// Until then this holds one delegate on the application's task and no suspended frame of its own: thousands of idle
    /// websockets each wait here.
    /// </remarks>
    public void Start(ValueTask<ApplicationResult> invocation, Environ environ)
    {
        _invocation = invocation;
        _environ = environ;
        invocation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnApplicationReturned);
    }

    private void OnApplicationReturned() => _ = FinishAsync(_invocation.GetAwaiter().GetResult());

    private async Task FinishAsync(ApplicationResult result)
    {
        try
        {
            await RequestPipeline.FinishWebSocketAsync(runtime, result, _environ!);
        }
        catch (Exception ex) when (ConnectionLoss.IsClientGone(ex))
        {
            // The peer went away or the server aborted the connection while the close was sent.
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(runtime.Logger, ex, $"{remote}");
        }
        finally
        {
            aborted.Cancel();
            await CloseAsync();
            _completion.TrySetResult();
        }
    }

    private async ValueTask CloseAsync()
    {
        try
        {
            if (closed is not null)
                await closed();
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(runtime.Logger, ex, $"{remote}");
        }
    }
}
