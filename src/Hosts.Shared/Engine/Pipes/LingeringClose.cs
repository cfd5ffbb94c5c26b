using System.IO.Pipelines;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// How a host closes after answering a refused request. Closing with unread input makes the kernel send a reset,
/// which can destroy the answer before the client reads it; so end the sending side once the answer has gone out,
/// then read and drop what the client still sends, briefly (RFC 9112 section 9.6).
/// </summary>
public static class LingeringClose
{
    /// <summary>How long the host goes on reading and dropping.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    /// <summary>The most bytes it drops before it closes anyway.</summary>
    public const long MaxDiscardBytes = 1024 * 1024;

    /// <summary>
    /// Ends <paramref name="transport"/>'s output (<see cref="IPipeTransport.CloseOutputAsync"/>: what was written goes
    /// out first, whether or not a flush returned) and drops what its input still brings, up to <see cref="Linger"/> or
    /// <see cref="MaxDiscardBytes"/>. The host then ends the connection.
    /// </summary>
    public static async Task RunAsync(IPipeTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        try
        {
            await transport.CloseOutputAsync();
            await DiscardAsync(transport.Input);
        }
        catch (Exception ex) when (ConnectionLoss.IsClientGone(ex) || ex is InvalidOperationException)
        {
            // The client closed or went quiet, or the transport ended the input with the output: the answer had its chance.
        }
    }

    private static async Task DiscardAsync(PipeReader input)
    {
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
}
