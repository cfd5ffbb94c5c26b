using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>One connection Kestrel accepted: read a head within the timeouts, run the application, answer; again while keep-alive lasts.</summary>
internal sealed class TransportConnection : IHostConnection
{
    private readonly KestrelPipeTransport _transport;
    private readonly HostRuntime _runtime;
    private readonly Http1Protocol _protocol;
    private readonly HeadReadTimeouts _timeouts;
    private readonly ResponseHead _head = new();
    private readonly Http1Environ _environ;
    private readonly Http1PipeResponse _response;
    private readonly CancellationTokenSource _aborted = new();
    private volatile bool _idle;

    public TransportConnection(ConnectionContext connection, HostRuntime runtime)
    {
        (_transport, _runtime) = (new KestrelPipeTransport(connection), runtime);
        _protocol = new Http1Protocol(runtime.Options.Limits);
        _timeouts = new HeadReadTimeouts(_transport.Input, runtime.Options.Limits);
        _response = new Http1PipeResponse(_protocol, _transport, () => !runtime.Activity.IsStopping, _aborted);
        _environ = new Http1Environ(_protocol.Head, runtime.HostName, connection.LocalEndPoint!, connection.RemoteEndPoint!,
            new Http1RequestBody(_transport.Input, _transport.Output, _protocol));
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        try
        {
            // Kestrel listens until the stop is over (KestrelTransportServer): a connection that comes meanwhile is refused.
            if (_runtime.Activity.IsStopping)
                await RefuseAsync(RequestRejection.ServerStopping);
            while (!_runtime.Activity.IsStopping && await ServeOneAsync())
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or ConnectionAbortedException)
        {
            // The client went away, or the server dropped the connection. Anything else goes to Kestrel, which logs it.
        }
        finally
        {
            _aborted.Cancel();
            _timeouts.Dispose();
        }
    }

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

    public void Abort() => _response.Abort();
}
