using System.Net.Sockets;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// The accept loop of a host that owns its listening sockets. A failed accept never ends it. Out of descriptors
/// (EMFILE, ENFILE) the next accept fails the same way until connections close, so retrying at once would spin and
/// log without end: it waits <see cref="OutOfDescriptorsBackoff"/> between attempts (the waiting clients stay in the
/// kernel's backlog) and logs once per interval without a stack (<see cref="HostRuntime.OutOfDescriptors"/>). It ends
/// when the server stops and its listener is closed.
/// </summary>
public static class AcceptLoop
{
    /// <summary>How long the loop waits after running out of descriptors: long enough not to spin, short enough to serve again soon after connections close.</summary>
    public static readonly TimeSpan OutOfDescriptorsBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Accepts with <paramref name="accept"/> and hands each connection to <paramref name="serve"/> until the server stops.</summary>
    public static Task RunAsync(Func<ValueTask<Socket>> accept, Action<Socket> serve, HostRuntime runtime) =>
        RunAsync(accept, serve, runtime, OutOfDescriptorsBackoff);

    /// <summary>
    /// The next connection <paramref name="accept"/> gives, past failed accepts (waiting out a want of descriptors);
    /// null once the server stops: for an engine that asks for connections one at a time (Kestrel's listeners).
    /// </summary>
    public static ValueTask<Socket?> AcceptAsync(Func<ValueTask<Socket>> accept, HostRuntime runtime) =>
        AcceptAsync(accept, runtime, OutOfDescriptorsBackoff);

    internal static async Task RunAsync(Func<ValueTask<Socket>> accept, Action<Socket> serve, HostRuntime runtime, TimeSpan outOfDescriptorsBackoff)
    {
        ArgumentNullException.ThrowIfNull(serve);
        while (await AcceptAsync(accept, runtime, outOfDescriptorsBackoff) is { } socket)
            serve(socket);
    }

    internal static async ValueTask<Socket?> AcceptAsync(Func<ValueTask<Socket>> accept, HostRuntime runtime, TimeSpan outOfDescriptorsBackoff)
    {
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(runtime);
        while (true)
        {
            try
            {
                return await accept();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && runtime.Activity.IsStopping)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TooManyOpenSockets)
            {
                await BackOffAsync(runtime, outOfDescriptorsBackoff);
            }
            catch (SocketException ex)
            {
                // A connection that failed between SYN and accept (reset): keep accepting.
                HostLog.ConnectionFailed(runtime.Logger, ex, "accept");
            }
        }
    }

    /// <summary>
    /// What an accept that failed for want of descriptors (EMFILE, ENFILE) is followed by, on every host: the line
    /// (once per interval, <see cref="HostRuntime.OutOfDescriptors"/>), then <see cref="OutOfDescriptorsBackoff"/>
    /// before the next attempt. For an engine whose accept completes elsewhere (io_uring's), after its own failure.
    /// </summary>
    public static Task BackOffAsync(HostRuntime runtime) => BackOffAsync(runtime, OutOfDescriptorsBackoff);

    private static Task BackOffAsync(HostRuntime runtime, TimeSpan backoff)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.OutOfDescriptors();
        return Task.Delay(backoff);
    }
}
