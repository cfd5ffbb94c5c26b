using System.IO.Pipelines;
using System.Net.Sockets;
using HostKit.Hosts.Uring.Ring;

namespace HostKit.Hosts.Uring;

/// <summary>
/// One connection: the host kit's HTTP/1.1 protocol over pipes on a <see cref="UringStream"/>. The protocol steps
/// (reading a head, flushing an answer, draining) continue on the loop's thread as their completions arrive; the
/// application is handed to the thread pool, unless <see cref="InlineSocketIo"/> asks for everything inline.
/// </summary>
/// <remarks>
/// Answers are flushed only before the connection waits (for the network, through <see cref="FlushBeforeWaitReader"/>;
/// for an application that reads its body or does not answer at once), and before it closes. Pipelined requests that
/// arrived together are then served one after another on the thread pool without a hop back to the loop, and answered
/// with one <c>SEND</c>: the Raw host's write batching.
/// </remarks>
internal sealed class UringConnection : IHostConnection
{
    // A request head with a 4 KiB body arrives in one RECV (with 4 KiB, the pipe's default, it took two, the second
    // one more wake of the loop from the thread pool and one more hop back). Raw reads into the same 16 KiB.
    private static readonly StreamPipeReaderOptions InputOptions = new(bufferSize: 16 * 1024);

    private readonly UringStream _stream;
    private readonly Socket _socket;
    private readonly SocketPipeTransport _transport;
    private readonly PipeReader _input;
    private readonly PipeReader _reader; // _input for the protocol steps: flushes the answers before a wait
    private readonly PipeWriter _output;
    private readonly HostRuntime _runtime;
    private readonly Http1Protocol _protocol;
    private readonly ResponseHead _head = new();
    private readonly Http1Environ _environ;
    private readonly Http1PipeResponse _response;
    private readonly CancellationTokenSource _aborted = new();
    private volatile bool _idle;

    public UringConnection(UringLoop loop, int fd, HostRuntime runtime)
    {
        _runtime = runtime;
        _stream = new UringStream(loop, fd) { InlineCompletions = true };
        // A view of the descriptor for the host kit's lingering close (a shutdown) and the endpoints; it owns
        // nothing: the ring closes the descriptor.
        _socket = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
        // Without it Nagle holds the second write of an answer (a body after its head, the next of pipelined answers)
        // until the client acknowledges the first, and the client delays that acknowledgement by up to 40 ms: the
        // benchmark's POST 4 KiB ran at 1,455 req/s with a p50 of 44 ms. Raw sets the same on its sockets. TCP's only: a
        // unix socket has no Nagle, and setting it there fails.
        if (_socket.AddressFamily != AddressFamily.Unix)
            _socket.NoDelay = true;
        // The host kit's pipes over the stream (after a websocket upgrade the pipes are done but the stream lives on); the
        // socket view shuts the sending side after a refusal, and an abort resets the connection through the ring.
        _transport = new SocketPipeTransport(_socket, _stream, InputOptions, abort: _stream.Reset);
        (_input, _output) = (_transport.Input, _transport.Output);
        _reader = new FlushBeforeWaitReader(_input, _output);
        _protocol = new Http1Protocol(runtime.Options.Limits);
        _response = new Http1PipeResponse(_protocol, _transport, () => !runtime.Activity.IsStopping, _aborted);
        _environ = new Http1Environ(_protocol.Head, runtime.HostName, _socket.LocalEndPoint!, _socket.RemoteEndPoint!,
            new Http1RequestBody(_input, _output, _protocol));
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Runs the connection from the caller's thread (the loop's) to its first wait.</summary>
    public void Start() => Completion = RunAsync();

    private async Task RunAsync()
    {
        try
        {
            while (await ServeOneAsync())
            {
            }
        }
        catch (Exception ex) when (ConnectionLoss.IsClientGone(ex))
        {
            // The client went away, or the server dropped the connection.
        }
        finally
        {
            _aborted.Cancel();
            _socket.Dispose();
            await _stream.DisposeAsync();
        }
    }

    // One request, from its head to the last byte of its answer written (flushed before the next wait); false when the
    // connection closes.
    private async Task<bool> ServeOneAsync()
    {
        _stream.InlineCompletions = true;
        _idle = !_runtime.Activity.IsStopping;
        var status = _idle ? await Http1Pipes.ReadHeadAsync(_reader, _protocol) : HeadStatus.NeedMore;
        _idle = false;
        if (status == HeadStatus.Rejected)
            return await RefuseAsync(_protocol.Rejection!.Value);
        if (status != HeadStatus.Complete)
        {
            await FlushAsync(); // the client closed, or the server is stopping: the answers made go out first
            return false;
        }
        var offer = Http1Pipes.OfferWebSocket(_protocol, _transport, _environ, _head, _runtime);
        if (offer.Refusal is { } refused)
            return await RefuseAsync(refused);
        _head.Reset();
        _environ.Begin(offer.Upgrade, _aborted.Token);
        // A body read waits for the network, and a websocket writes its 101 itself: the answers made go out first.
        if (_protocol.Head.HasBody || offer.Upgrade is not null)
            await FlushAsync();
        // The rule: the application runs where the thread pool runs it, so that one that blocks cannot stall the
        // ring; under HostKit:UnsafeInlineIo it runs on the loop's thread, as socket completions do on the other hosts.
        // A request read from bytes already received is served where the one before it was: on the thread pool.
        if (!InlineSocketIo.IsEnabled)
        {
            _stream.InlineCompletions = false;
            if (_stream.Loop.IsOnLoop)
                await Task.Yield(); // no synchronization context here: this queues the rest to the thread pool
        }
        // Looked at before the application runs: once it runs it may write to the output itself (a 100 Continue) and
        // be flushing it, and a second flush beside that one would run two sends on the stream at once.
        var answersWaiting = _output.UnflushedBytes > 0;
        var invocation = ApplicationInvoker.InvokeAsync(_runtime, _environ, _head);
        if (answersWaiting && !invocation.IsCompleted)
            await _output.FlushAsync(); // a slow application must not hold back the answers pipelined before it
        var result = await invocation;
        if (await RequestPipeline.AnswerAsync(_runtime, result, _environ, _head, _response) is null)
            return false; // a websocket, a refusal, or an aborted answer: the connection is done
        _stream.InlineCompletions = true; // the application is done: the rest is the protocol's
        _protocol.FinishResponse();
        await Http1Pipes.DrainAsync(_reader, _protocol);
        if (_protocol.Phase == Http1Phase.Idle)
            return true; // the answer waits in the pipe until the connection next waits
        await FlushAsync(); // the last answer, before the close
        return false;
    }

    private async ValueTask FlushAsync()
    {
        if (_output.UnflushedBytes > 0)
            await _output.FlushAsync();
    }

    private async Task<bool> RefuseAsync(RequestRejection reason)
    {
        await _runtime.RefuseAsync(reason, _response);
        return false;
    }

    /// <summary>An idle connection closes now; a busy one after its answer (which then says <c>Connection: close</c>).</summary>
    public void RequestStop()
    {
        if (_idle)
            _input.CancelPendingRead();
    }

    /// <summary>Drops the connection with a reset and cancels the request's <see cref="Environ.RequestAborted"/>.</summary>
    public void Abort() => _response.Abort();
}
