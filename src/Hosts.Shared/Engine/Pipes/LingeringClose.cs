using System.IO.Pipelines;
using System.Net.Sockets;

namespace HostKit.Hosts;

/// <summary>
/// How a host that owns its socket closes after answering a refused request. Closing with unread input
/// makes the kernel send a reset, which can destroy the answer before the client reads it; so stop
/// sending, then read and drop what the client still sends, briefly (RFC 9112 section 9.6).
/// </summary>
public static class LingeringClose
{
    /// <summary>How long the host goes on reading and dropping.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    /// <summary>The most bytes it drops before it closes anyway.</summary>
    public const long MaxDiscardBytes = 1024 * 1024;

    /// <summary>Shuts the sending side of <paramref name="socket"/> and drops what <paramref name="input"/> still brings, up to <see cref="Linger"/> or <see cref="MaxDiscardBytes"/>.</summary>
    public static async Task RunAsync(Socket socket, PipeReader input)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var linger = new CancellationTokenSource(Linger);
            long discarded = 0;
            while (discarded < MaxDiscardBytes)
            {
                var result = await input.ReadAsync(linger.Token);
                discarded += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client closed or went quiet: the answer had its chance.
        }
    }
}
