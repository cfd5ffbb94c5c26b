using BenchmarkDotNet.Attributes;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// One keep-alive <c>GET /plaintext</c> through each host, end to end in this process: a real socket on
/// 127.0.0.1, the host's own accept, parse, application call (the Demo) and write. BenchmarkDotNet's memory
/// diagnoser counts every thread of the process (<c>GC.GetTotalAllocatedBytes(precise: true)</c>, checked by
/// <see cref="AllocationCountingCheckBenchmarks"/>), so "Allocated" is the client plus the server. The
/// <c>trivial</c> row is the client alone (its server allocates nothing) and <c>bare-kestrel</c> is Kestrel's own
/// cost; subtract the <c>trivial</c> row to read a host's share (README.md).
/// </summary>
[MemoryDiagnoser]
public class PlaintextRequestBenchmarks
{
    private BenchServer _server = null!;
    private PlaintextClient _client = null!;

    [ParamsSource(nameof(Servers))]
    public string Server { get; set; } = BenchServers.Trivial;

    public static IEnumerable<string> Servers => BenchServers.ForHttp();

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServers.StartAsync(Server).GetAwaiter().GetResult();
        _client = PlaintextClient.Connect(_server.Address);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public int Request() => _client.Request();
}
