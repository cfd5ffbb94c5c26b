using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// One HTTP/1.1 connection of a pipe-based host, whole: the kit's one request loop over an <see cref="IPipeTransport"/>
/// (raw, minimal, kestrel-transport). It reads a head within its deadline (<see cref="HeadDeadline"/>:
/// <see cref="HttpLimits.KeepAliveTimeout"/> until its first byte, then <see cref="HttpLimits.RequestHeadersTimeout"/> or a
/// 408), offers the websocket (<see cref="Http1Pipes.OfferWebSocket"/>), runs the application (<see cref="ApplicationInvoker"/>)
/// while it watches for a client that leaves, answers (<see cref="RequestPipeline.AnswerAsync"/> through
/// <see cref="Http1PipeResponse"/>), drains a body the application left unread, and goes round again while keep-alive
/// lasts. A refused head gets its status and a lingering close; a connection that starts while the server stops gets a 503.
/// </summary>
/// <remarks>
/// <para>Answers are flushed only before the connection waits (for the network, or for an application that does not
/// answer at once), so pipelined answers go out in one write, and a slow request never holds back the answers before it.</para>
/// <para>While the application runs with its body all read, the input is watched (<see cref="Http1Pipes.WatchForDisconnectAsync"/>):
/// a client that leaves fires <see cref="Environ.RequestAborted"/>. A half-close while the application reads the body ends
/// the body early instead, which is a 400 (<see cref="RequestRejection.IncompleteBody"/>).</para>
/// <para>A host makes one per connection, adds it to its <see cref="ConnectionSet{TConnection}"/> and calls <see cref="Start"/>
/// (or the other way round; <see cref="Completion"/> exists from the start). The set's heartbeat drives the head deadline
/// (<see cref="OnHeartbeat"/>). When the loop is done it completes the pipes, fires <see cref="Environ.RequestAborted"/> and
/// runs <see cref="Closed"/>, where the host ends what it owns (its stream, its socket).</para>
/// </remarks>
public sealed class Http1PipeConnection : IHostConnection
{
    private readonly IPipeTransport _transport;
    private readonly HostRuntime _runtime;
    private readonly EndPoint? _remote;
    private readonly Http1Protocol _protocol;
    private readonly HeadDeadline _deadline;
    private readonly ResponseHead _head = new();
    private readonly Http1Environ _environ;
    private readonly Http1PipeResponse _response;
    private readonly CancellationTokenSource _aborted = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Serves HTTP/1.1 on <paramref name="transport"/> for <paramref name="runtime"/>.</summary>
    /// <param name="transport">The connection: <see cref="SocketPipeTransport"/> for a socket the host owns, <see cref="DuplexPipeTransport"/> for pipes it is handed.</param>
    /// <param name="runtime">The server.</param>
    /// <param name="local">The connection's local end (<c>SERVER_PORT</c>).</param>
    /// <param name="remote">The client's end (<c>REMOTE_ADDR</c>); a peer on a unix socket may have none (null), as .NET reports it.</param>
    /// <param name="isTls">True when the transport carries TLS: <c>wsgi.url_scheme</c> is then <c>https</c>.</param>
    public Http1PipeConnection(IPipeTransport transport, HostRuntime runtime, EndPoint local, EndPoint remote, bool isTls = false)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(runtime);
        (_transport, _runtime, _remote) = (transport, runtime, remote);
        _protocol = new Http1Protocol(runtime.Options.Limits);
        _deadline = new HeadDeadline(transport.Input, runtime.Options.Limits);
        _response = new Http1PipeResponse(_protocol, transport, () => !runtime.Activity.IsStopping, _aborted);
        var body = new Http1RequestBody(transport.Input, transport.Output, _protocol);
        _environ = new Http1Environ(_protocol.Head, runtime.HostName, local, remote, body) { IsTls = isTls };
    }

    /// <summary>
    /// Runs before the first request with the connection's abort signal; false closes the connection unserved. A TLS
    /// handshake goes here (<see cref="TlsHandshake.AuthenticateAsync"/>).
    /// </summary>
    public Func<CancellationToken, ValueTask<bool>>? Opening { get; init; }

    /// <summary>Runs once the connection is done and <see cref="Environ.RequestAborted"/> has fired: where the host ends what it owns (its stream, its socket).</summary>
    public Func<ValueTask>? Closed { get; init; }

    /// <summary>
    /// The host's connections, for a host that owns its socket: an application that accepts a websocket and goes on serving
    /// it is then carried on by a small connection of the kit in this one's place (<see cref="ConnectionSet{TConnection}.Replace"/>),
    /// so that an idle websocket holds none of the request loop; it runs <see cref="Closed"/> when the application returns.
    /// Null (a host whose engine ends the connection with this one's <see cref="Completion"/>): the websocket runs inside the loop.
    /// </summary>
    public ConnectionSet<IHostConnection>? WebSocketHandOff { get; init; }

    /// <summary>
    /// Runs just before the application is called (after the answers waiting went out, when it may wait for the network):
    /// where an engine that runs the protocol steps on its own thread (uring's ring) moves the application off it.
    /// </summary>
    public Func<ValueTask>? EnteringApplication { get; init; }

    /// <summary>Runs once the application's answer is written: the protocol steps that follow may run on the engine's thread again.</summary>
    public Action? LeftApplication { get; init; }

    /// <summary>Where the connection stands.</summary>
    public Http1ConnectionStatus Status { get; private set; }

    /// <inheritdoc />
    public Task Completion => _completion.Task;

    /// <summary>Starts serving on the thread pool. Call it once.</summary>
    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.Execute(), this, preferLocal: false);

    /// <summary>An idle connection closes now; a busy one after its answer (which then says <c>Connection: close</c>).</summary>
    /// <remarks>The server is stopping already (<see cref="ServerActivity.IsStopping"/>): a wait that starts after this look sees it.</remarks>
    public void RequestStop()
    {
        if (_deadline.Status == HeadWaitStatus.Waiting)
            _transport.Input.CancelPendingRead();
    }

    /// <summary>Drops the connection now (<see cref="IPipeTransport.Abort"/>) and fires <see cref="Environ.RequestAborted"/>.</summary>
    public void Abort() => _response.Abort();

    /// <summary>A wait for a head past its deadline is woken, and ends as a timeout (<see cref="HeadDeadline.OnHeartbeat"/>).</summary>
    public void OnHeartbeat(long now) => _deadline.OnHeartbeat(now);

    private async void Execute()
    {
        // async void: whatever escapes here would be an unhandled exception that ends the process, so nothing may.
        try
        {
            await RunAsync();
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(_runtime.Logger, ex, $"{_remote}");
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (await OpenAsync())
                await ServeAllAsync();
        }
        catch (Exception ex) when (ConnectionLoss.IsClientGone(ex))
        {
            // The client went away, or the server dropped the connection: nothing to answer.
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(_runtime.Logger, ex, $"{_remote}");
        }
        if (Status != Http1ConnectionStatus.HandedOff)
            await CloseAsync();
    }

    private async ValueTask<bool> OpenAsync()
    {
        if (Opening is not null && !await Opening(_aborted.Token))
            return false;
        if (!_runtime.Activity.IsStopping)
            return true;
        // An engine that listens until the stop is over (Kestrel's) still hands over connections meanwhile: refused.
        return await RefuseAsync(RequestRejection.ServerStopping);
    }

    private async ValueTask ServeAllAsync()
    {
        while (await ServeOneAsync())
        {
        }
        if (Status == Http1ConnectionStatus.Serving || Status == Http1ConnectionStatus.WaitingForHead)
            await FlushAsync(); // the last answers, before the close
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
        var offer = Http1Pipes.OfferWebSocket(_protocol, _transport, _environ, _head, _runtime);
        if (offer.Refusal is { } refused)
            return await RefuseAsync(refused);
        _head.Reset();
        _environ.Begin(offer.Upgrade, _aborted.Token);
        var result = await RunApplicationAsync(offer.Upgrade);
        if (Status == Http1ConnectionStatus.HandedOff)
            return false; // the websocket carries the connection on
        if (await RequestPipeline.AnswerAsync(_runtime, result, _environ, _head, _response) is null)
        {
            Status = Http1ConnectionStatus.OutputEnded; // a websocket, a refusal, or an aborted answer: the connection is done
            return false;
        }
        LeftApplication?.Invoke();
        _protocol.FinishResponse();
        if (_protocol.Phase == Http1Phase.Draining)
        {
            await FlushAsync(); // the answer goes out before the wait for the body it did not read
            await Http1Pipes.DrainAsync(_transport.Input, _protocol, _aborted.Token);
        }
        return _protocol.Phase == Http1Phase.Idle;
    }

    /// <summary>
    /// Runs the application for the request just read. When its websocket was handed off (<see cref="WebSocketHandOff"/>),
    /// <see cref="Status"/> says so and the result is default.
    /// </summary>
    /// <remarks>
    /// Not a state machine itself, nor are its steps until one has to wait: the next of pipelined requests, answered at
    /// once, goes from the parser to the application through no async step of its own, each of which every request would
    /// pay for (its setup, and copies of the result, which is large). docs/benchmarks.md measures it.
    /// </remarks>
    private ValueTask<ApplicationResult> RunApplicationAsync(HostWebSocketUpgrade? upgrade)
    {
        // The application may read the body, which waits for the network, or write a 101: answers made go out first.
        if (_protocol.Head.HasBody || upgrade is not null)
            return FlushThenRunAsync(upgrade);
        var entering = EnteringApplication?.Invoke() ?? default;
        if (!entering.IsCompletedSuccessfully)
            return RunWhenEnteredAsync(entering, upgrade);
        entering.GetAwaiter().GetResult(); // a pooled source goes back to its pool
        return InvokeApplication(upgrade);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ApplicationResult> FlushThenRunAsync(HostWebSocketUpgrade? upgrade)
    {
        await FlushAsync();
        return await RunWhenEnteredAsync(EnteringApplication?.Invoke() ?? default, upgrade);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ApplicationResult> RunWhenEnteredAsync(ValueTask entering, HostWebSocketUpgrade? upgrade)
    {
        await entering;
        return await InvokeApplication(upgrade);
    }

    private ValueTask<ApplicationResult> InvokeApplication(HostWebSocketUpgrade? upgrade)
    {
        // Looked at before the application runs: once it runs it may write to the output itself (a 100 Continue, a 101)
        // and be flushing it, and a second flush beside that one would run two writes at once.
        var answersWaiting = AnswersWaiting;
        var invocation = ApplicationInvoker.InvokeAsync(_runtime, _environ, _head);
        return invocation.IsCompleted ? invocation : WaitForApplicationAsync(invocation, answersWaiting, upgrade);
    }

    /// <summary>The application did not answer at once: it is handed off (a websocket it serves), or waited for while the input is watched.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ApplicationResult> WaitForApplicationAsync(ValueTask<ApplicationResult> invocation, bool answersWaiting, HostWebSocketUpgrade? upgrade)
    {
        if (upgrade is { Session: not null } && WebSocketHandOff is { } connections)
        {
            HandOff(invocation, connections);
            return default;
        }
        if (answersWaiting)
            await FlushAsync(); // a slow application must not hold back the answers pipelined before it
        // While it waits, nobody reads the input: watch it, so a client that leaves fires RequestAborted.
        var watch = _protocol.IsBodyComplete && !_protocol.Head.WantsWebSocket ? Http1Pipes.WatchForDisconnectAsync(_transport.Input, _aborted) : null;
        var result = await invocation;
        if (watch is not null)
        {
            if (!watch.IsCompleted)
                _transport.Input.CancelPendingRead();
            await watch;
        }
        return result;
    }

    /// <summary>
    /// The application accepted a websocket and is serving it: a <see cref="HandedOffWebSocket"/> carries the connection on
    /// from here, in this one's place, and this one (its parser, response writer and request loop) is left to be collected.
    /// An application that waits before it accepts is not handed off: its websocket runs inside the loop, as correct.
    /// </summary>
    private void HandOff(ValueTask<ApplicationResult> invocation, ConnectionSet<IHostConnection> connections)
    {
        Status = Http1ConnectionStatus.HandedOff;
        var websocket = new HandedOffWebSocket(_runtime, _transport, _aborted, Closed, _remote);
        connections.Replace(this, websocket);
        _environ.SwitchedProtocols();
        websocket.Start(invocation, _environ);
    }

    /// <summary>Reads a whole request head; false when the connection closed, idled out, was stopped, or the head was refused (and answered).</summary>
    /// <remarks>The next of pipelined requests, received with the one before, is read here at once, through no state machine.</remarks>
    private ValueTask<bool> ReadHeadAsync()
    {
        Status = Http1ConnectionStatus.WaitingForHead;
        if (!_runtime.Activity.IsStopping && _transport.Input.TryRead(out var buffered))
        {
            switch (ParseHead(buffered))
            {
                case HeadStatus.Complete:
                    Status = Http1ConnectionStatus.Serving;
                    return new ValueTask<bool>(true);
                case HeadStatus.Rejected:
                    Status = Http1ConnectionStatus.Serving;
                    return RefuseAsync(_protocol.Rejection!.Value);
            }
        }
        return WaitForWholeHeadAsync(); // the rest of a head begun above, if any, goes on from where the parser stopped
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WaitForWholeHeadAsync()
    {
        var status = HeadStatus.NeedMore;
        try
        {
            status = await WaitForHeadAsync();
        }
        finally
        {
            // A head completed just as the heartbeat timed its wait out is not served (HeadDeadline.StopWaiting).
            if (_deadline.StopWaiting() && status == HeadStatus.Complete)
                status = HeadStatus.NeedMore;
        }
        Status = Http1ConnectionStatus.Serving;
        return status == HeadStatus.Complete || status == HeadStatus.Rejected && await RefuseAsync(_protocol.Rejection!.Value);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HeadStatus> WaitForHeadAsync()
    {
        while (!_runtime.Activity.IsStopping)
        {
            var read = await ReadInputAsync();
            if (read.IsCanceled && (_runtime.Activity.IsStopping || _deadline.Status == HeadWaitStatus.TimedOut))
            {
                _transport.Input.AdvanceTo(read.Buffer.Start);
                return CutShort(RequestRejection.HeadersTimeout);
            }
            // Any other cancellation is a disconnect watch's, stale: read on.
            var status = ParseHead(read);
            if (status != HeadStatus.NeedMore)
                return status;
            if (read.IsCompleted)
                return CutShort(RequestRejection.IncompleteHead);
        }
        return HeadStatus.NeedMore;
    }

    /// <summary>Hands what was read to the parser, which takes what it can of a head.</summary>
    private HeadStatus ParseHead(in ReadResult read)
    {
        var wasIdle = _protocol.Phase == Http1Phase.Idle;
        var status = _protocol.ReadHead(read.Buffer, out var consumed, out var examined);
        _transport.Input.AdvanceTo(consumed, examined);
        if (wasIdle && _protocol.Phase != Http1Phase.Idle)
            _deadline.HeadStarted(); // the clock for a slow client starts with its first byte
        return status;
    }

    /// <summary>
    /// A wait for a head that ended without one: between requests (idle too long, stopping, the client closed) the
    /// connection closes quietly; inside a head begun (too slow, or cut short) the client hears why.
    /// </summary>
    private HeadStatus CutShort(RequestRejection reason)
    {
        if (_protocol.Phase != Http1Phase.ReadingHead || _runtime.Activity.IsStopping && reason == RequestRejection.HeadersTimeout)
            return HeadStatus.NeedMore;
        _protocol.Reject(reason);
        return HeadStatus.Rejected;
    }

    /// <summary>Refuses a request before the application saw it: counted, logged, answered, closed gently. Always false.</summary>
    private async ValueTask<bool> RefuseAsync(RequestRejection reason)
    {
        Status = Http1ConnectionStatus.OutputEnded; // the lingering close sends what waits, and ends the output
        await _runtime.RefuseAsync(reason, _response);
        return false;
    }

    /// <summary>
    /// What is already buffered, or else (after flushing what waits to go out) the next read from the network, under the
    /// head's deadline. The deadline starts only here, where the connection waits: a pipelined head already received
    /// needs none.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadInputAsync()
    {
        if (_transport.Input.TryRead(out var buffered))
            return buffered;
        await FlushAsync();
        _deadline.StartWaiting(headStarted: _protocol.Phase != Http1Phase.Idle);
        // A stop that came before the wait started did not wake it (RequestStop wakes only a waiting read): wake it here.
        if (_runtime.Activity.IsStopping)
            _transport.Input.CancelPendingRead();
        return await _transport.Input.ReadAsync();
    }

    // A writer that cannot count what it holds is flushed each time.
    private bool AnswersWaiting => !_transport.Output.CanGetUnflushedBytes || _transport.Output.UnflushedBytes > 0;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync()
    {
        if (AnswersWaiting)
            await _transport.Output.FlushAsync(_aborted.Token);
    }

    private async ValueTask CloseAsync()
    {
        Status = Http1ConnectionStatus.Closed;
        await _transport.Input.CompleteAsync();
        try
        {
            await _transport.Output.CompleteAsync();
        }
        catch (Exception ex) when (ConnectionLoss.IsClientGone(ex))
        {
            // Completing flushes what is still buffered, which a client that went away cannot take.
        }
        _aborted.Cancel();
        // _aborted is not disposed: the server may still Abort() this connection while stopping, and the app may still hold its RequestAborted token.
        if (Closed is not null)
            await Closed();
    }
}
