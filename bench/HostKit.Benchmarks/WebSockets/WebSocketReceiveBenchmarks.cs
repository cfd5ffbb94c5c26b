using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Benchmarks.WebSockets;

/// <summary>
/// What receiving a whole message through <see cref="WebSocketSession"/> costs over the engine's bare
/// receive into a buffer the caller keeps, from a peer that always has the next message ready. The
/// session's message owns its bytes, so its one allocation per message is that byte array.
/// </summary>
[MemoryDiagnoser]
public class WebSocketReceiveBenchmarks
{
    private WebSocket _bare = null!;
    private WebSocketSession _session = null!;
    private byte[] _buffer = null!;

    [Params(32, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frame = WebSocketReadyPeerStream.ClientBinaryFrame(Size);
        var options = new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero };
        _bare = WebSocket.CreateFromStream(new WebSocketReadyPeerStream(frame), options);
        _session = new WebSocketSession(WebSocket.CreateFromStream(new WebSocketReadyPeerStream(frame), options), WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero }, NullLogger.Instance);
        _buffer = new byte[Size];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Abort();
        _session.Abort();
    }

    [Benchmark(Baseline = true)]
    public async ValueTask<int> BareReceiveAsync() => (await _bare.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None)).Count;

    [Benchmark]
    public async ValueTask<int> SessionReceiveAsync() => (await _session.ReceiveAsync())?.Data.Length ?? -1;
}
