using System.Net;
using System.Net.Sockets;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// One HTTP/1.1 connection of a pipe-based host, whole: the kit's request loop over an <see cref="IPipeTransport"/>. It
/// reads a head within the timeouts (<see cref="HeadReadTimeouts"/>: <see cref="HttpLimits.KeepAliveTimeout"/> until its
/// first byte, then <see cref="HttpLimits.RequestHeadersTimeout"/> or a 408), offers the websocket
/// (<see cref="Http1Pipes.OfferWebSocket"/>), runs the application (<see cref="ApplicationInvoker"/>), answers
/// (<see cref="RequestPipeline.AnswerAsync"/> through <see cref="Http1PipeResponse"/>), flushes, drains a body the
/// application left unread, and goes round again while keep-alive lasts. A refused head gets its status and a lingering
/// close; a connection that starts while the server stops gets a 503.
/// </summary>
/// <remarks>
/// A host makes one per connection, calls <see cref="Start"/>, then adds it to its <see cref="ConnectionSet{TConnection}"/>,
/// which follows <see cref="Completion"/>. The loop never closes the transport: the host does, in <see cref="Closed"/> or
/// once <see cref="Completion"/> completes (a transport's handler returns). <see cref="Environ.RequestAborted"/> fires on
/// <see cref="Abort"/> and when the connection ends, not when the client leaves while the application runs; a half-close
/// while the application reads the body ends the body early, which is a 400 (<see cref="RequestRejection.IncompleteBody"/>).
/// </remarks>
public sealed class Http1PipeConnection : IHostConnection
{
    private readonly IPipeTransport _transport;
    private readonly HostRuntime _runtime;
    private readonly EndPoint _remote;
    private readonly Http1Protocol _protocol;
    private readonly HeadReadTimeouts _timeouts;
    private readonly ResponseHead _head = new();
    private readonly Http1Environ _environ;
    private readonly Http1PipeResponse _response;
    private readonly CancellationTokenSource _aborted = new();
    private volatile bool _idle;

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
        _timeouts = new HeadReadTimeouts(transport.Input, runtime.Options.Limits);
        _response = new Http1PipeResponse(_protocol, transport, () => !runtime.Activity.IsStopping, _aborted);
        var body = new Http1RequestBody(transport.Input, transport.Output, _protocol);
        _environ = new Http1Environ(_protocol.Head, runtime.HostName, local, remote, body) { IsTls = isTls };
    }

    /// <summary>
    /// Runs before the first request with the connection's abort signal; false closes the connection unserved. A TLS
    /// handshake goes here (<see cref="TlsHandshake.AuthenticateAsync"/>).
    /// </summary>
    public Func<CancellationToken, ValueTask<bool>>? Opening { get; init; }

    /// <summary>Runs once the loop is done and <see cref="Environ.RequestAborted"/> has fired: where the host ends what it owns (its stream, its socket).</summary>
    public Func<ValueTask>? Closed { get; init; }

    /// <inheritdoc />
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts serving on the thread pool: from here <see cref="Completion"/> stands for the whole run. Call it once.</summary>
    public void Start() => Completion = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        try
        {
            if (Opening is not null && !await Opening(_aborted.Token))
                return;
            // An engine that listens until the stop is over (Kestrel's) still hands over connections meanwhile: refused.
            if (_runtime.Activity.IsStopping)
            {
                await RefuseAsync(RequestRejection.ServerStopping);
                return;
            }
            while (await ServeOneAsync())
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server dropped the connection (Kestrel's ConnectionAbortedException is an OperationCanceledException).
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(_runtime.Logger, ex, $"{_remote}");
        }
        finally
        {
            _aborted.Cancel();
            _timeouts.Dispose();
            if (Closed is not null)
                await Closed();
        }
    }

    // One request, from its head to the last byte of its answer; false when the connection closes.
    private async Task<bool> ServeOneAsync()
    {
        _idle = !_runtime.Activity.IsStopping;
        var status = _idle ? await _timeouts.ReadHeadAsync(_protocol) : HeadStatus.NeedMore;
        _idle = false;
        if (status == HeadStatus.Rejected)
            return await RefuseAsync(_protocol.Rejection!.Value);
        if (status != HeadStatus.Complete)
            return false; // the client closed or idled out, or the server is stopping
        var offer = Http1Pipes.OfferWebSocket(_protocol, _transport, _environ, _head, _runtime);
        if (offer.Refusal is { } refused)
            return await RefuseAsync(refused);
        _head.Reset();
        _environ.Begin(offer.Upgrade, _aborted.Token);
        var result = await ApplicationInvoker.InvokeAsync(_runtime, _environ, _head);
        if (await RequestPipeline.AnswerAsync(_runtime, result, _environ, _head, _response) is null)
            return false; // a websocket, a refusal, or an aborted answer: the connection is done
        await _transport.Output.FlushAsync();
        _protocol.FinishResponse();
        await Http1Pipes.DrainAsync(_transport.Input, _protocol);
        return _protocol.Phase == Http1Phase.Idle;
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
            _transport.Input.CancelPendingRead();
    }

    /// <summary>Drops the connection now (<see cref="IPipeTransport.Abort"/>) and fires <see cref="Environ.RequestAborted"/>.</summary>
    public void Abort() => _response.Abort();
}
