using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using HostKit.Hosts.Raw.Http;
using HostKit.Hosts.Raw.WebSockets;

namespace HostKit.Hosts.Raw.Connection;

/// <summary>
/// One client connection: reads request heads, runs the application, writes responses, over and
/// over while keep-alive lasts, until it closes or becomes a websocket. Pipelined requests are
/// answered in order because they are simply read one after another from the same pipe.
/// </summary>
/// <remarks>
/// The socket is read and written through <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions)"/>
/// and <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions)"/> over a <see cref="NetworkStream"/>:
/// the pipes give pooled buffers and "read until a whole head is there" for free, and the stream
/// underneath can be handed straight to the websocket after an upgrade.
/// </remarks>
internal sealed class HttpConnection : IThreadPoolWorkItem
{
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private static readonly HttpError InternalError = new(500, "the application failed; see the server log");
    private static readonly (string, string)[] VersionHeader = [("Sec-WebSocket-Version", "13")];

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly RequestHead _head = new();
    private readonly ResponseHead _response = new();
    private readonly RawEnviron _environ;
    private readonly RequestBodyStream _body;
    private readonly CancellationTokenSource _aborted = new();
    private CancellationTokenSource _timeout = new();
    private volatile bool _waitingForRequest;
    private volatile bool _stopRequested;
    private string? _remoteAddress;

    public HttpConnection(Socket socket, RawServer server)
    {
        _socket = socket;
        Server = server;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _environ = new RawEnviron(this);
        _body = new RequestBodyStream(_input, SendContinueAsync, server.Options.Limits);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public RawServer Server { get; }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public string RemoteAddress => _remoteAddress ??= EndPointText.Address(RemoteEndPoint);

    public Stream Body => _body;

    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Completes when the connection has closed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    void IThreadPoolWorkItem.Execute() => Completion = RunAsync();

    /// <summary>Asks the connection to finish its current request and close; an idle one closes at once.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        if (_waitingForRequest)
            _input.CancelPendingRead();
    }

    /// <summary>Drops the connection at once, with a TCP reset so the client cannot take a cut-short response for a whole one.</summary>
    public void Abort()
    {
        _aborted.Cancel();
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        _socket.Close();
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stopRequested && await ServeOneAsync())
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server aborted the connection: nothing to answer.
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(Server.Logger, ex, RemoteEndPoint.ToString());
        }
        finally
        {
            await _input.CompleteAsync();
            await _output.CompleteAsync();
            _aborted.Cancel();
            _socket.Dispose();
            // _aborted is not disposed: it has no timer to free, the server may still Abort() this
            // connection while stopping, and the app may still hold its RequestAborted token.
            _timeout.Dispose();
            Server.Forget(this);
        }
    }

    /// <summary>Serves one request; false when the connection should close.</summary>
    private async Task<bool> ServeOneAsync()
    {
        if (!await ReadHeadAsync())
            return false;

        RawUpgrade? upgrade = null;
        if (_head.WantsWebSocket)
        {
            if (WebSocketHandshake.Validate(_head) is { } handshakeError)
                return await FailAsync(handshakeError, handshakeError.Status == 426 ? VersionHeader : null);
            upgrade = new RawUpgrade(this, _head.GetHeader("Sec-WebSocket-Key")!, WebSocketHandshake.SubProtocols(_head));
        }
        _environ.Begin(_head, upgrade);
        _response.Reset();
        _body.Reset(_head);

        var (body, failure) = await ApplicationInvoker.InvokeAsync(Server.Application, _environ, _response);

        if (upgrade?.Session is { } session)
        {
            await Server.FinishWebSocketAsync(session, failure);
            return false;
        }
        if (failure is BadRequestException bad)
            return await FailAsync(bad.Error);
        if (failure is not null)
        {
            HostLog.ApplicationFailed(Server.Logger, failure, _head.Method, _environ.PathInfo);
            return await FailAsync(InternalError);
        }
        return await WriteResponseAsync(body);
    }

    /// <summary>Waits for a whole request head; false when the connection closed, idled out, or was refused.</summary>
    private async Task<bool> ReadHeadAsync()
    {
        var limits = Server.Options.Limits;
        var sawBytes = false;
        _timeout.CancelAfter(limits.KeepAliveTimeout);
        _waitingForRequest = true;
        try
        {
            while (true)
            {
                if (_stopRequested)
                    return false;
                ReadResult result;
                try
                {
                    result = await _input.ReadAsync(_timeout.Token);
                }
                catch (OperationCanceledException) when (_timeout.IsCancellationRequested)
                {
                    // Idle too long between requests: close quietly. Too slow sending a head: say so.
                    if (sawBytes)
                        await FailAsync(new HttpError(408, "request headers not received in time"));
                    return false;
                }
                if (result.IsCanceled)
                    return false;

                var buffer = result.Buffer;
                if (!sawBytes && !buffer.IsEmpty)
                {
                    // The clock for a slow client starts with its first byte, not with each read.
                    sawBytes = true;
                    _timeout.CancelAfter(limits.RequestHeadersTimeout);
                }
                switch (HttpRequestParser.TryParse(buffer, limits, _head, out var consumed, out var error))
                {
                    case ParseStatus.Complete:
                        _input.AdvanceTo(buffer.GetPosition(consumed));
                        return true;
                    case ParseStatus.Error:
                        _input.AdvanceTo(buffer.End);
                        await FailAsync(error);
                        return false;
                    default:
                        if (result.IsCompleted)
                        {
                            if (!buffer.IsEmpty)
                                await FailAsync(HttpError.BadRequest("the connection closed in the middle of a request head"));
                            return false;
                        }
                        _input.AdvanceTo(buffer.Start, buffer.End);
                        break;
                }
            }
        }
        finally
        {
            _waitingForRequest = false;
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }
        }
    }

    private async Task<bool> WriteResponseAsync(Body body)
    {
        var keepAlive = _head.KeepAlive && !_stopRequested && _response.Find("Connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) != true;
        var framing = body.Length is not null ? ResponseFraming.ContentLength
            : _head.Version == Http.HttpVersion.Http11 ? ResponseFraming.Chunked
            : ResponseFraming.CloseDelimited;
        if (framing == ResponseFraming.CloseDelimited)
            keepAlive = false;
        if (_body.ContinueWithheld)
            keepAlive = false; // the client still holds the body it was told to wait with
        ResponseWriter.WriteHead(_output, _response.Status, _response.Headers, framing, body.Length ?? 0, keepAlive, _head.Version);

        if (_head.Method == "HEAD" || body.Kind == BodyKind.Empty)
        {
            await body.DiscardAsync();
        }
        else if (body.Kind == BodyKind.Buffer)
        {
            _output.Write(body.Buffer.Span);
        }
        else
        {
            try
            {
                await body.WriteToAsync(framing == ResponseFraming.Chunked ? WriteChunkAsync : WriteRawAsync, _aborted.Token);
            }
            catch (Exception ex) when (!_aborted.IsCancellationRequested)
            {
                // Bytes may be out already: the only honest signal left is to drop the connection.
                HostLog.ApplicationFailedAfterStart(Server.Logger, ex, _head.Method, _environ.PathInfo);
                Abort();
                return false;
            }
            if (framing == ResponseFraming.Chunked)
                ResponseWriter.WriteLastChunk(_output);
        }

        if (keepAlive && !await _body.DrainAsync(_aborted.Token))
            keepAlive = false;
        // With more requests already buffered (pipelining), answer them before flushing: fewer writes.
        if (!keepAlive || !HasBufferedRequest())
            await _output.FlushAsync();
        return keepAlive;
    }

    private ValueTask WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        ResponseWriter.WriteChunkHeader(_output, chunk.Length);
        _output.Write(chunk.Span);
        ResponseWriter.WriteChunkEnd(_output);
        return FlushAsync(cancellationToken);
    }

    private ValueTask WriteRawAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        _output.Write(chunk.Span);
        return FlushAsync(cancellationToken);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken) => await _output.FlushAsync(cancellationToken);

    private bool HasBufferedRequest()
    {
        if (!_input.TryRead(out var result))
            return false;
        var buffer = result.Buffer;
        var complete = !buffer.IsEmpty && buffer.FirstSpan.IndexOf("\r\n\r\n"u8) >= 0;
        _input.AdvanceTo(buffer.Start);
        return complete;
    }

    /// <summary>Answers with an error the server makes itself, then closes.</summary>
    private async Task<bool> FailAsync(HttpError error, IReadOnlyList<(string Name, string Value)>? extraHeaders = null)
    {
        ResponseWriter.WriteError(_output, error, extraHeaders);
        await _output.FlushAsync();
        // Closing with unread input makes the kernel send RST, which can destroy the answer before the
        // client reads it. So: stop sending, then read and drop what the client still sends, briefly.
        _socket.Shutdown(SocketShutdown.Send);
        try
        {
            using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            long discarded = 0;
            while (discarded < 1024 * 1024)
            {
                var result = await _input.ReadAsync(linger.Token);
                discarded += result.Buffer.Length;
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
        return false;
    }

    private async ValueTask SendContinueAsync()
    {
        _output.Write(ContinueResponse);
        await _output.FlushAsync();
    }

    /// <summary>
    /// Writes the 101 response and turns the connection into a plain stream for the websocket:
    /// bytes already buffered past the handshake go first, then the socket itself.
    /// </summary>
    public async ValueTask<Stream> SwitchProtocolsAsync(byte[] switchingProtocols)
    {
        _output.Write(switchingProtocols);
        await _output.FlushAsync();
        var buffered = Array.Empty<byte>();
        if (_input.TryRead(out var result))
        {
            buffered = result.Buffer.ToArray();
            _input.AdvanceTo(result.Buffer.End);
        }
        await _input.CompleteAsync();
        await _output.CompleteAsync();
        return new UpgradedStream(buffered, _stream);
    }
}
