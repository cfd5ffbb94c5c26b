using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace HostKit.Hosts.Raw.Connection;

/// <summary>
/// One client connection: a pump between the socket and the sans-I/O <see cref="Http1Protocol"/>.
/// It reads bytes and hands them to the protocol, runs the application when a head is complete,
/// writes what the protocol plans, and loops while keep-alive lasts, until the connection closes
/// or becomes a websocket. Every decision about HTTP is the protocol's; timing and I/O are this class's.
/// </summary>
/// <remarks>
/// <para>The socket is read and written through pipes over a <see cref="SocketStream"/>: pooled
/// buffers, writes sent without an await while the kernel takes them, and the stream underneath can be handed
/// straight to the websocket after an upgrade.
/// The input waits for data with a zero-byte read and only then rents a buffer, so an idle keep-alive
/// connection holds none; the buffer is 16 KiB, so a request head with a 4 KiB body arrives in one read
/// (with 4 KiB, the pipe's default, its body came in two, and a streamed echo went out in two writes).</para>
/// <para>Output is flushed only before this connection waits (for the network, or for an application
/// that does not answer at once), so pipelined responses go out in one write, and a slow request never
/// holds back the answers before it.</para>
/// </remarks>
internal sealed class HttpConnection : IThreadPoolWorkItem, IRawConnection
{
    private static readonly StreamPipeReaderOptions InputOptions = new(bufferSize: 16 * 1024, useZeroByteReads: true);

    private readonly Socket _socket;
    private readonly SocketPipeTransport _transport;
    private readonly Stream _stream;
    private readonly TlsOptions? _tls;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Http1Protocol _protocol;
    private readonly ResponseHead _response = new();
    private readonly Http1Environ _environ;
    private readonly CancellationTokenSource _aborted = new();
    private readonly Http1PipeResponse _answer;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HeadDeadline _headDeadline;
    private volatile bool _stopRequested;
    private bool _unflushed;
    private bool _handedOff;

    public HttpConnection(Socket socket, RawServer server, TlsOptions? tls = null)
    {
        _socket = socket;
        Server = server;
        _tls = tls;
        _stream = TlsHandshake.Wrap(new SocketStream(socket), tls);
        _transport = new SocketPipeTransport(socket, _stream, InputOptions);
        _input = _transport.Input;
        _output = _transport.Output;
        _protocol = new Http1Protocol(server.Options.Limits);
        _headDeadline = new HeadDeadline(_input, server.Options.Limits);
        RemoteEndPoint = socket.RemoteEndPoint!;
        var body = new Http1RequestBody(_input, _output, _protocol);
        _answer = new Http1PipeResponse(_protocol, _transport, () => !_stopRequested, _aborted);
        _environ = new Http1Environ(_protocol.Head, RawHost.HostName, socket.LocalEndPoint!, RemoteEndPoint, body) { IsTls = tls is not null };
    }

    public RawServer Server { get; }

    public EndPoint RemoteEndPoint { get; }

    /// <summary>Completes when the connection has closed. Set at construction, so the server never sees a connection that has not started as finished.</summary>
    public Task Completion => _completion.Task;

    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    async void IThreadPoolWorkItem.Execute()
    {
        // async void: whatever escapes here would be an unhandled exception that ends the process, so nothing may.
        try
        {
            await RunAsync();
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(Server.Logger, ex, $"{RemoteEndPoint}");
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>Asks the connection to finish its current request and close; an idle one closes at once.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        if (_headDeadline.Status == HeadWaitStatus.Waiting)
            _input.CancelPendingRead();
    }

    /// <summary>Drops the connection at once, with a TCP reset so the client cannot take a cut-short response for a whole one.</summary>
    public void Abort() => _answer.Abort();

    private async Task RunAsync()
    {
        try
        {
            var secured = await TlsHandshake.AuthenticateAsync(_stream, _tls, Server.Runtime, RemoteEndPoint, _aborted.Token);
            while (secured && !_stopRequested && await ServeOneAsync())
            {
            }
            if (_handedOff)
                return; // the socket is the websocket's now (WebSocketConnection)
            if (_unflushed)
                await _output.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server aborted the connection: nothing to answer.
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(Server.Logger, ex, $"{RemoteEndPoint}");
        }
        await CloseAsync();
    }

    private async ValueTask CloseAsync()
    {
        await _input.CompleteAsync();
        try
        {
            await _output.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Completing flushes what is still buffered, which a client that went away cannot take. Escaping from
            // here it would leave Execute (async void) and be an unhandled exception on the thread pool.
        }
        _aborted.Cancel();
        _socket.Dispose();
        if (_tls is not null)
            _stream.Dispose(); // the TLS state; after the socket, whose close (a reset after Abort) stays as it was
        // _aborted is not disposed: the server may still Abort() this connection while stopping,
        // and the app may still hold its RequestAborted token.
    }

    /// <summary>Serves one request; false when the connection should close.</summary>
    /// <remarks>
    /// This and the reads below wait for the network on most requests, so each would box its state machine once per
    /// request; pooled builders reuse the boxes instead (each call is awaited once, which pooling requires).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ServeOneAsync()
    {
        if (!await ReadHeadAsync())
            return false;

        var head = _protocol.Head;
        var offer = Http1Pipes.OfferWebSocket(_protocol, _transport, _environ, _response, Server.Runtime);
        if (offer.Refusal is { } refused)
            return await RejectAsync(refused);
        var upgrade = offer.Upgrade;
        _response.Reset();
        _environ.Begin(upgrade, _aborted.Token);

        // The application may read the body, which waits for the network: answers already made go out first.
        if (head.HasBody && _unflushed)
            await FlushAsync();
        var invocation = ApplicationInvoker.InvokeAsync(Server.Runtime, _environ, _response);
        if (upgrade is { Session: not null } && !invocation.IsCompleted)
            return HandOff(invocation);
        Task? watch = null;
        if (!invocation.IsCompleted)
        {
            if (_unflushed)
                await FlushAsync(); // a slow application must not hold back the answers pipelined before it
            // While it waits, nobody reads the socket: watch it, so a client that leaves fires RequestAborted.
            if (_protocol.IsBodyComplete && !head.WantsWebSocket)
                watch = Http1Pipes.WatchForDisconnectAsync(_input, _aborted);
        }
        var result = await invocation;
        if (watch is not null)
        {
            if (!watch.IsCompleted)
                _input.CancelPendingRead();
            await watch;
        }

        if (await RequestPipeline.AnswerAsync(Server.Runtime, result, _environ, _response, _answer) is null)
            return false;
        _unflushed = true;
        _protocol.FinishResponse();
        if (_protocol.Phase == Http1Phase.Draining)
        {
            if (_unflushed)
                await FlushAsync(); // the answer goes out before the wait for the body it did not read
            await Http1Pipes.DrainAsync(_input, _protocol, _aborted.Token);
        }
        return _protocol.Phase == Http1Phase.Idle;
    }

    /// <summary>
    /// The application accepted a websocket and is serving it: a <see cref="WebSocketConnection"/> carries the
    /// socket on from here, in this connection's place, and this one (its pipes, parser and request loop) is left to
    /// be collected. An application that waits before it accepts is not handed off: its websocket runs inside the
    /// request loop, as correct, with the HTTP state kept until it ends.
    /// </summary>
    private bool HandOff(ValueTask<ApplicationResult> invocation)
    {
        _handedOff = true;
        var websocket = new WebSocketConnection(_socket, _aborted, Server, RemoteEndPoint);
        Server.Connections.Replace(this, websocket);
        _environ.SwitchedProtocols();
        websocket.Start(invocation, _environ);
        return false;
    }

    /// <summary>Called by the server's heartbeat (<see cref="RawServer"/>): a wait for a head past its deadline is woken, and ends as a timeout.</summary>
    public void OnHeartbeat(long now) => _headDeadline.OnHeartbeat(now);

    /// <summary>Waits for a whole request head; false when the connection closed, idled out, was stopped, or the head was refused (and answered).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadHeadAsync()
    {
        _headDeadline.StartWaiting();
        var complete = false;
        try
        {
            while (true)
            {
                if (_stopRequested)
                    return false;
                var result = await ReadInputAsync(CancellationToken.None);
                if (result.IsCanceled && (_stopRequested || _headDeadline.Status == HeadWaitStatus.TimedOut))
                {
                    _input.AdvanceTo(result.Buffer.Start);
                    // Idle too long between requests: close quietly. Too slow sending a head: say so.
                    return !_stopRequested && _protocol.Phase == Http1Phase.ReadingHead && await RejectAsync(RequestRejection.HeadersTimeout);
                }
                // Any other cancellation is the disconnect watcher's, stale: read on.

                var wasIdle = _protocol.Phase == Http1Phase.Idle;
                var status = _protocol.ReadHead(result.Buffer, out var consumed, out var examined);
                _input.AdvanceTo(consumed, examined);
                if (wasIdle && _protocol.Phase != Http1Phase.Idle)
                    _headDeadline.HeadStarted();
                switch (status)
                {
                    case HeadStatus.Complete:
                        complete = true;
                        break;
                    case HeadStatus.Rejected:
                        return await RejectAsync(_protocol.Rejection!.Value);
                }
                if (complete)
                    break;
                if (result.IsCompleted)
                    return _protocol.Phase == Http1Phase.ReadingHead && await RejectAsync(RequestRejection.IncompleteHead);
            }
        }
        finally
        {
            // A head completed just as the heartbeat timed its wait out is not served (HeadDeadline.StopWaiting).
            if (_headDeadline.StopWaiting())
                complete = false;
        }
        return complete;
    }

    /// <summary>Refuses a request before the application saw it: counted, logged, answered, closed gently.</summary>
    private async ValueTask<bool> RejectAsync(RequestRejection reason)
    {
        _unflushed = false; // the refusal's lingering close sends what waits, and ends the output
        await Server.Runtime.RefuseAsync(reason, _answer);
        return false;
    }

    /// <summary>What is already buffered, or else (after flushing what waits to go out) the next read from the network.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadInputAsync(CancellationToken cancellationToken)
    {
        if (_input.TryRead(out var buffered))
            return buffered;
        if (_unflushed)
            await FlushAsync();
        return await _input.ReadAsync(cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync()
    {
        _unflushed = false;
        await _output.FlushAsync(_aborted.Token);
    }
}
