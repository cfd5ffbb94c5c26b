using System.Buffers;
using System.Net.Sockets;
using HostKit.Hosts.Http1;

namespace HostKit.Hosts.Raw.Connection;

/// <summary>Answers a connection the server will not serve (over the connection limit) with its rejection, then closes it gently.</summary>
internal static class ConnectionRefusal
{
    public static async Task RefuseAsync(Socket socket, RequestRejection reason, HostRuntime runtime)
    {
        runtime.Rejected(reason);
        try
        {
            var answer = new ArrayBufferWriter<byte>(256);
            ResponseHeadWriter.WriteRejection(answer, reason);
            await socket.SendAsync(answer.WrittenMemory);
            socket.Shutdown(SocketShutdown.Send);
            // Read what the client sends until it closes, briefly: closing with unread input would reset the answer away.
            using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var scratch = new byte[1024];
            while (await socket.ReceiveAsync(scratch, linger.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}
