using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;

namespace HostKit.Samples.MinimalHost;

/// <summary>One connection: read a head, run the application, answer; again while keep-alive lasts.</summary>
internal sealed class MinimalConnection : IHostConnection
{
    private readonly Stream _stream;
    private readonly SocketPipeTransport _transport;
    private readonly TlsOptions? _tls;
    private readonly EndPoint _remote;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly HostRuntime _runtime;
    private readonly Http1Protocol _protocol;
    private readonly ResponseHead _head = new();
    private readonly Http1Environ _environ;
    private readonly Http1PipeResponse _response;
    private readonly CancellationTokenSource _aborted = new();
    private volatile bool _idle;

    // Step 4: a connection is the socket's stream (with TLS over it on an https:// address) read and written through pipes, and the host kit's protocol state.
    public MinimalConnection(Socket socket, HostRuntime runtime, TlsOptions? tls)
    {
        _runtime = runtime;
        _tls = tls;
        _remote = socket.RemoteEndPoint!;
        _stream = TlsHandshake.Wrap(new NetworkStream(socket, ownsSocket: true), tls);
        // The host kit's pipes over the stream; after a websocket upgrade the pipes are done but the stream lives on.
        _transport = new SocketPipeTransport(socket, _stream);
        (_input, _output) = (_transport.Input, _transport.Output);
        _protocol = new Http1Protocol(runtime.Options.Limits);
        _response = new Http1PipeResponse(_protocol, _transport, () => !runtime.Activity.IsStopping, _aborted);
        var body = new Http1RequestBody(_input, _output, _protocol);
        _environ = new Http1Environ(_protocol.Head, runtime.HostName, socket.LocalEndPoint!, _remote, body) { IsTls = tls is not null };
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        try
        {
            var secured = await TlsHandshake.AuthenticateAsync(_stream, _tls, _runtime, _remote, _aborted.Token);
            while (secured && await ServeOneAsync())
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server dropped the connection.
        }
        finally
        {
            _aborted.Cancel();
            await _stream.DisposeAsync();
        }
    }

    // Step 5: one request, from its head to the last byte of its answer; false when the connection closes.
    private async Task<bool> ServeOneAsync()
    {
        _idle = !_runtime.Activity.IsStopping;
        var status = _idle ? await Http1Pipes.ReadHeadAsync(_input, _protocol) : HeadStatus.NeedMore;
        _idle = false;
        if (status == HeadStatus.Rejected)
            return await RefuseAsync(_protocol.Rejection!.Value);
        if (status != HeadStatus.Complete)
            return false; // the client closed, or the server is stopping
        var offer = Http1Pipes.OfferWebSocket(_protocol, _transport, _environ, _head, _runtime);
        if (offer.Refusal is { } refused)
            return await RefuseAsync(refused);
        _head.Reset();
        _environ.Begin(offer.Upgrade, _aborted.Token);
        var result = await ApplicationInvoker.InvokeAsync(_runtime, _environ, _head);
        if (await RequestPipeline.AnswerAsync(_runtime, result, _environ, _head, _response) is null)
            return false; // a websocket, a refusal, or an aborted answer: the connection is done
        await _output.FlushAsync();
        _protocol.FinishResponse();
        await Http1Pipes.DrainAsync(_input, _protocol);
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
            _input.CancelPendingRead();
    }

    public void Abort() => _response.Abort();
}
