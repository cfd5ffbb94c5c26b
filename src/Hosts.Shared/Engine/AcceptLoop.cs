using System.Net.Sockets;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// The accept loop of a host that owns its listening sockets, or of an engine that hands out what it accepted one at a
/// time (<see cref="RunAsync{T}"/>). A failed accept never ends it. Out of descriptors
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

    /// <summary>
    /// Accepts with <paramref name="accept"/> and hands each <typeparamref name="T"/> it gives to <paramref name="serve"/>
    /// until the server stops: for an engine whose accept gives something other than a socket (HttpListener's request
    /// context). <paramref name="classify"/> says what each failure means (<see cref="AcceptFailure"/>), and the loop does
    /// the rest as it does for sockets: it never ends on a failure, only on <see cref="AcceptFailure.Stopped"/>.
    /// </summary>
    public static Task RunAsync<T>(Func<ValueTask<T>> accept, Action<T> serve, Func<Exception, AcceptFailure> classify, HostRuntime runtime)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(classify);
        return LoopAsync(accept, serve, (ex, _) => classify(ex), runtime, OutOfDescriptorsBackoff);
    }

    internal static Task RunAsync(Func<ValueTask<Socket>> accept, Action<Socket> serve, HostRuntime runtime, TimeSpan outOfDescriptorsBackoff) =>
        LoopAsync(accept, serve, SocketFailure, runtime, outOfDescriptorsBackoff);

    internal static ValueTask<Socket?> AcceptAsync(Func<ValueTask<Socket>> accept, HostRuntime runtime, TimeSpan outOfDescriptorsBackoff) =>
        NextAsync(accept, SocketFailure, runtime, outOfDescriptorsBackoff);

    private static async Task LoopAsync<T>(Func<ValueTask<T>> accept, Action<T> serve, Func<Exception, HostRuntime, AcceptFailure?> classify, HostRuntime runtime,
        TimeSpan outOfDescriptorsBackoff)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(serve);
        while (await NextAsync(accept, classify, runtime, outOfDescriptorsBackoff) is { } accepted)
            serve(accepted);
    }

    /// <summary>The next <typeparamref name="T"/> <paramref name="accept"/> gives, past failed accepts; null once <paramref name="classify"/> calls a failure the stop. A failure it calls null is not an accept's, and ends the loop.</summary>
    private static async ValueTask<T?> NextAsync<T>(Func<ValueTask<T>> accept, Func<Exception, HostRuntime, AcceptFailure?> classify, HostRuntime runtime,
        TimeSpan outOfDescriptorsBackoff)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(runtime);
        while (true)
        {
            try
            {
                return await accept();
            }
            catch (Exception ex) when (classify(ex, runtime) is { } failure)
            {
                switch (failure)
                {
                    case AcceptFailure.Stopped:
                        return null;
                    case AcceptFailure.OutOfDescriptors:
                        await BackOffAsync(runtime, outOfDescriptorsBackoff);
                        break;
                    default:
                        HostLog.ConnectionFailed(runtime.Logger, ex, "accept");
                        if (failure == AcceptFailure.Unexplained)
                            await Task.Delay(outOfDescriptorsBackoff);
                        break;
                }
            }
        }
    }

    /// <summary>What a socket's failed accept means; null for what is no accept's failure, which ends the loop.</summary>
    private static AcceptFailure? SocketFailure(Exception ex, HostRuntime runtime) => ex switch
    {
        ObjectDisposedException or SocketException when runtime.Activity.IsStopping => AcceptFailure.Stopped,
        SocketException { SocketErrorCode: SocketError.TooManyOpenSockets } => AcceptFailure.OutOfDescriptors,
        // A connection that failed between SYN and accept (reset): keep accepting.
        SocketException => AcceptFailure.ConnectionFailed,
        _ => null,
    };

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
