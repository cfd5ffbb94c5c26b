using BenchmarkDotNet.Attributes;
using HostKit.Hosts;
using HostKit.Testing.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Benchmarks.WebSockets;

/// <summary>
/// Websocket receive and send per host, over an in-memory duplex stream, through the <see cref="WebSocketSession"/>
/// every host hands the application. The hosts share the session and the framing (.NET's
/// <c>WebSocket.CreateFromStream</c>); what differs is the stream under them, and this benchmark uses each
/// host's own stream type:
/// <list type="bullet">
/// <item><c>raw</c> (and <c>minimal</c>): the kit's <c>UpgradedStream</c>, over a stream standing for the socket that
/// always has the next frame ready and takes every write at once (as a loopback socket with room does).</item>
/// <item><c>memory</c>: the in-memory host's <c>DuplexPipeStream</c> pair, two <c>System.IO.Pipelines</c> pipes,
/// with a peer task that keeps feeding masked frames (receive) or draining what is sent (send), so every
/// operation crosses threads as it does in a test.</item>
/// </list>
/// Kestrel's upgraded stream and HttpListener's websocket exist only inside a running engine: those two hosts are
/// measured end to end, by <see cref="EndToEnd.WebSocketEchoBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class HostWebSocketBenchmarks
{
    private readonly CancellationTokenSource _stop = new();
    private WebSocketSession _session = null!;
    private WebSocketMessage _message;
    private Task _peer = Task.CompletedTask;

    [Params("raw", "memory")]
    public string Host { get; set; } = "raw";

    [Params(32, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frame = WebSocketReadyPeerStream.ClientBinaryFrame(Size);
        Stream stream;
        if (Host == "raw")
        {
            stream = new UpgradedStream([], new WebSocketReadyPeerStream(frame));
        }
        else
        {
            var (server, client) = DuplexPipeStream.CreatePair();
            stream = server;
            _peer = Task.Run(() => PeerAsync(client, frame, _stop.Token));
        }
        _session = WebSocketSession.FromStream(stream, subProtocol: null, WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero }, NullLogger.Instance);
        _message = WebSocketMessage.FromBinary(new byte[Size]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _session.Abort();
        try
        {
            _peer.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The peer stops on cancellation or when the session's end goes away.
        }
    }

    /// <summary>One whole message, which owns its bytes (the one allocation a HostKit receive owes by contract).</summary>
    [Benchmark]
    public async ValueTask<int> ReceiveAsync() => (await _session.ReceiveAsync())?.Data.Length ?? -1;

    /// <summary>One whole message through the safe send path, awaited until the engine has written it.</summary>
    [Benchmark]
    public ValueTask SendAsync() => _session.SendAsync(_message);

    /// <summary>
    /// The peer end of the in-memory connection: writes the client's masked frame again and again (the pipe's
    /// back-pressure holds it about 64 KiB ahead of the reader) while draining whatever the server sends.
    /// </summary>
    private static async Task PeerAsync(Stream client, byte[] frame, CancellationToken stop)
    {
        var drain = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested && await client.ReadAsync(buffer, stop) > 0)
            {
            }
        }, stop);
        var batch = Enumerable.Repeat(frame, Math.Max(1, 8192 / frame.Length)).SelectMany(f => f).ToArray();
        while (!stop.IsCancellationRequested)
            await client.WriteAsync(batch, stop);
        await drain;
    }
}
