using BenchmarkDotNet.Attributes;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// One websocket message of 32 B to the Demo's <c>/ws/echo</c> and its echo back, on each websocket host, end to
/// end in this process over a real socket. As in <see cref="PlaintextRequestBenchmarks"/>, "Allocated" counts
/// every thread; <c>trivial</c> is the client alone and <c>bare-kestrel</c> Kestrel's own echo (one reused buffer).
/// A HostKit echo owes one allocation by contract: the received message owns its bytes (a 32 B array is 56 B).
/// </summary>
[MemoryDiagnoser]
public class WebSocketEchoBenchmarks
{
    private BenchServer _server = null!;
    private WebSocketEchoClient _client = null!;

    [ParamsSource(nameof(Servers))]
    public string Server { get; set; } = BenchServers.Trivial;

    public static IEnumerable<string> Servers => BenchServers.ForWebSockets();

    [Params(32)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServers.StartAsync(Server).GetAwaiter().GetResult();
        _client = WebSocketEchoClient.Connect(_server.Address, Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public int Echo() => _client.Echo();
}
