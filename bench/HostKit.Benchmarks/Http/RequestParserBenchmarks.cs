using System.Buffers;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;

namespace HostKit.Benchmarks.Http;

/// <summary>
/// The host kit's HTTP/1.1 protocol per request, as the Raw host runs it (<see cref="Http1Protocol"/>): parse the
/// head, plan the response, write its head, finish the exchange. What a plaintext request costs the Raw host
/// before and after the application runs; <see cref="HeadParserBenchmarks"/> and <see cref="ResponseHeadBenchmarks"/>
/// split it into its two halves.
/// </summary>
[MemoryDiagnoser]
public class RequestParserBenchmarks
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();
    private static readonly (string, string)[] PlaintextHeaders = [("Content-Type", "text/plain")];

    private readonly Http1Protocol _protocol = new(HttpLimits.Default);
    private readonly ResponseHead _response = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);

    [Benchmark(Baseline = true)]
    public int PlaintextRequest() => Cycle(Requests.Plaintext);

    [Benchmark]
    public int BrowserRequest() => Cycle(Requests.Browser);

    private int Cycle(in ReadOnlySequence<byte> request)
    {
        _protocol.ReadHead(request, out _, out _);
        _response.Reset();
        _response.Start(200, PlaintextHeaders);
        _output.ResetWrittenCount();
        _protocol.StartResponse(_output, _response, Body.Of(Hello), hostKeepsConnection: true);
        _protocol.FinishResponse();
        return _output.WrittenCount;
    }
}

/// <summary>A head that arrives a few bytes per read (a slow or hostile client): the cost must grow with its size, not its square.</summary>
[MemoryDiagnoser]
public class TrickledHeadBenchmarks
{
    private byte[][] _pieces = [];

    /// <summary>The length of one header value, in bytes.</summary>
    [Params(1024, 4096, 16384)]
    public int HeaderBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var head = System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + new string('v', HeaderBytes) + "\r\n\r\n");
        _pieces = [.. head.Chunk(8)];
    }

    [Benchmark]
    public long EightBytesPerRead()
    {
        var protocol = new Http1Protocol(HttpLimits.Default);
        var pending = new ArrayBufferWriter<byte>(HeaderBytes + 64);
        var start = 0;
        foreach (var piece in _pieces)
        {
            pending.Write(piece);
            var buffer = new ReadOnlySequence<byte>(pending.WrittenMemory[start..]);
            if (protocol.ReadHead(buffer, out var consumed, out _) != HeadStatus.NeedMore)
                break;
            start += (int)buffer.Slice(0, consumed).Length;
        }
        return protocol.HeadBytesScanned;
    }
}
