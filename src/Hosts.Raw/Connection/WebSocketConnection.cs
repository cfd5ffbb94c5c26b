using System.Net;
using System.Net.Sockets;

namespace HostKit.Hosts.Raw.Connection;

/// <summary>
/// A connection after it switched to a websocket: the socket, and the application serving it until it returns.
/// It takes its <see cref="HttpConnection"/>'s place among the server's connections, so that an idle websocket
/// holds none of the HTTP machinery (pipes, parser, response writer, the request loop's suspended frames) it
/// was upgraded with: what it keeps is the socket, the engine's websocket and the application's own state.
/// </summary>
internal sealed class WebSocketConnection(Socket socket, CancellationTokenSource aborted, RawServer server, EndPoint remoteEndPoint) : IRawConnection
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ValueTask<ApplicationResult> _invocation;
    private Environ? _environ;

    public Task Completion => _completion.Task;

    /// <summary>Nothing to do: a stopping server closes every websocket with 1001 itself (<see cref="GracefulStop"/>).</summary>
    public void RequestStop()
    {
    }

    public void Abort() => ConnectionReset.Reset(socket, aborted);

    /// <summary>A websocket has no head deadline: its silent peer is the session's keep-alive to find.</summary>
    public void OnHeartbeat(long now)
    {
    }

    /// <summary>Closes the websocket and the connection once the application returns.</summary>
    /// <param name="invocation">The application's run, from <see cref="ApplicationInvoker.InvokeAsync"/>; consumed here only.</param>
    /// <param name="environ">The request the websocket was accepted on.</param>
    /// <remarks>
    /// Until then this holds one delegate on the application's task and no suspended frame of its own:
    /// thousands of idle websockets each wait here.
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
            await RequestPipeline.FinishWebSocketAsync(server.Runtime, result, _environ!);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away or the server aborted the connection while the close was sent.
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(server.Logger, ex, $"{remoteEndPoint}");
        }
        finally
        {
            aborted.Cancel();
            socket.Dispose();
            _completion.TrySetResult();
        }
    }
}
