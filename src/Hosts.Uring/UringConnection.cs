using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using HostKit.Engines.Uring;
using HostKit.Engines.Uring.Ring;

namespace HostKit.Hosts.Uring;

/// <summary>
/// One connection: the host kit's request loop (<see cref="Http1PipeConnection"/>) over pipes on a <see cref="UringStream"/>.
/// The protocol steps (reading a head, flushing answers, draining) continue on the loop's thread as their completions
/// arrive; the application is handed to the thread pool, unless <see cref="InlineSocketIo"/> asks for everything inline.
/// </summary>
/// <remarks>
/// The kit's loop flushes answers only before it waits (for the network, or for an application that reads its body or
/// does not answer at once), and before it closes. Pipelined requests that arrived together are then served one after
/// another on the thread pool without a hop back to the loop, and answered with one <c>SEND</c>.
/// </remarks>
internal static class UringConnection
{
    // A request head with a 4 KiB body arrives in one RECV (with 4 KiB, the pipe's default, it took two, the second
    // one more wake of the loop from the thread pool and one more hop back). Raw reads into the same 16 KiB.
    private static readonly StreamPipeReaderOptions InputOptions = new(bufferSize: 16 * 1024);

    /// <summary>The connection on descriptor <paramref name="fd"/>, which the ring owns and closes.</summary>
    public static Http1PipeConnection Open(UringLoop loop, int fd, HostRuntime runtime)
    {
        var stream = new UringStream(loop, fd) { InlineCompletions = true };
        // A view of the descriptor for the host kit's lingering close (a shutdown) and the endpoints; it owns
        // nothing: the ring closes the descriptor.
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
        // Without it Nagle holds the second write of an answer (a body after its head, the next of pipelined answers)
        // until the client acknowledges the first, and the client delays that acknowledgement by up to 40 ms: the
        // benchmark's POST 4 KiB ran at 1,455 req/s with a p50 of 44 ms. Raw sets the same on its sockets. TCP's only: a
        // unix socket has no Nagle, and setting it there fails.
        if (socket.AddressFamily != AddressFamily.Unix)
            socket.NoDelay = true;
        // The host kit's pipes over the stream (after a websocket upgrade the pipes are done but the stream lives on); the
        // socket view shuts the sending side after a refusal, and an abort resets the connection through the ring.
        var transport = new SocketPipeTransport(socket, stream, InputOptions, abort: stream.Reset);
        return new Http1PipeConnection(transport, runtime, socket.LocalEndPoint!, socket.RemoteEndPoint!)
        {
            EnteringApplication = InlineSocketIo.IsEnabled ? null : () => LeaveLoop(stream),
            LeftApplication = () => stream.InlineCompletions = true, // the application is done: the rest is the protocol's
            Closed = async () =>
            {
                socket.Dispose();
                await stream.DisposeAsync();
            },
        };
    }

    /// <summary>
    /// The rule: the application runs where the thread pool runs it, so that one that blocks cannot stall the ring (under
    /// HostKit:UnsafeInlineIo it runs on the loop's thread, as socket completions do on the other hosts). A request read
    /// from bytes already received is served where the one before it was: on the thread pool, with no step to wait for.
    /// </summary>
    private static ValueTask LeaveLoop(UringStream stream)
    {
        stream.InlineCompletions = false;
        return stream.Loop.IsOnLoop ? ToThreadPoolAsync() : default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ToThreadPoolAsync() => await Task.Yield(); // no synchronization context here: this queues the rest to the thread pool
}
