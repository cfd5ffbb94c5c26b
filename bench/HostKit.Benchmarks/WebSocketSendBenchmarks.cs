using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Benchmarks;

/// <summary>
/// What the safe send path (serialized, bounded, whole messages) costs over the engine's bare
/// <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>,
/// on a connection that never blocks.
/// </summary>
[MemoryDiagnoser]
public class WebSocketSendBenchmarks
{
    private WebSocket _bare = null!;
    private WebSocketSession _session = null!;
    private ReadOnlyMemory<byte> _payload;
    private WebSocketMessage _message;

    [Params(32, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero };
        _bare = WebSocket.CreateFromStream(new DiscardStream(), options);
        _session = new WebSocketSession(WebSocket.CreateFromStream(new DiscardStream(), options), WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero }, NullLogger.Instance);
        _payload = new byte[Size];
        _message = WebSocketMessage.FromBinary(_payload);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Abort();
        _session.Abort();
    }

    [Benchmark(Baseline = true)]
    public ValueTask BareSendAsync() => _bare.SendAsync(_payload, WebSocketMessageType.Binary, true, CancellationToken.None);

    [Benchmark]
    public ValueTask SessionSendAsync() => _session.SendAsync(_message);
}
