using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// Answers a connection the server will not serve (over the connection limit) with its rejection and closes it at
/// once: a refused connection gives its descriptor back now. Lingering for the client's close (as a served one does)
/// would hold a descriptor per refusal for as long as the client likes, which is what runs a server out of them.
/// Every host that accepts its own sockets refuses through this, right where it accepts; an engine that owns the connection
/// (Kestrel's, as a pipe) answers through <see cref="RefuseAsync"/> and closes it itself.
/// </summary>
public static class ConnectionRefusal
{
    /// <summary>Reports the refusal (<see cref="HostRuntime.Rejected"/>), answers <paramref name="socket"/> with <paramref name="reason"/>'s status and closes it.</summary>
    public static void Refuse(Socket socket, RequestRejection reason, HostRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Rejected(reason);
        try
        {
            var answer = new ArrayBufferWriter<byte>(256);
            ResponseHeadWriter.WriteRejection(answer, reason);
            // A fresh socket's send buffer takes the short answer whole: no wait.
            socket.Blocking = false;
            socket.Send(answer.WrittenSpan);
            socket.Shutdown(SocketShutdown.Send);
            // Read away what the client has sent already, so that closing does not reset the answer away; what comes later is not waited for.
            Span<byte> scratch = stackalloc byte[1024];
            while (socket.Available > 0 && socket.Receive(scratch) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// Reports the refusal (<see cref="HostRuntime.Rejected"/>) and answers a connection whose output is a pipe the engine owns
    /// with <paramref name="reason"/>'s status; the engine closes it when this returns. A client that left first gets nothing.
    /// </summary>
    public static async ValueTask RefuseAsync(PipeWriter output, RequestRejection reason, HostRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Rejected(reason);
        try
        {
            ResponseHeadWriter.WriteRejection(output, reason);
            await output.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client left first (an engine's reset is an IOException): nothing to answer.
        }
    }
}
