using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Benchmarks.WebSockets;

/// <summary>
/// What the safe send path (serialized, bounded, whole messages) costs over the engine's bare
/// <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>,
/// on a connection that never blocks: one whose engine finishes every send at once, and one whose
/// flush completes on the thread pool (<see cref="DiscardStream"/>), so the send is asynchronous.
/// </summary>
[MemoryDiagnoser]
public class WebSocketSendBenchmarks
{
    private WebSocket _bare = null!;
    private WebSocketSession _session = null!;
    private ReadOnlyMemory<byte> _payload;
    private WebSocketMessage _message;

    /// <summary>How the engine's writes complete.</summary>
    public enum EngineCompletion
    {
        /// <summary>At once: the engine's send never waits.</summary>
        Synchronous,

        /// <summary>The flush on the thread pool: every send completes later, on another thread.</summary>
        OnThreadPool,
    }

    [Params(32, 4096)]
    public int Size { get; set; }

    [Params(EngineCompletion.Synchronous, EngineCompletion.OnThreadPool)]
    public EngineCompletion Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero };
        _bare = WebSocket.CreateFromStream(CreateStream(), options);
        _session = new WebSocketSession(WebSocket.CreateFromStream(CreateStream(), options), WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero }, NullLogger.Instance);
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

    /// <summary>One TrySend, then a wait until it is written, so that every call finds the queue empty (uncontended).</summary>
    [Benchmark]
    public bool SessionTrySend()
    {
        var accepted = _session.TrySend(_message);
        var spin = default(SpinWait);
        while (_session.BufferedBytes != 0)
            spin.SpinOnce();
        return accepted;
    }

    private Stream CreateStream() => Engine == EngineCompletion.Synchronous
        ? new WebSocketReadyPeerStream(WebSocketReadyPeerStream.ClientBinaryFrame(0))
        : new DiscardStream();
}
