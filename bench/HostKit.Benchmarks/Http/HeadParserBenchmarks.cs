using BenchmarkDotNet.Attributes;
using HostKit.Hosts;

namespace HostKit.Benchmarks.Http;

/// <summary>
/// Raw parsing alone: the host kit's sans-I/O <see cref="HeadParser"/> (what the <c>raw</c> and <c>minimal</c>
/// hosts run, under <see cref="Http1Protocol"/>) turning one whole request head, in one buffer, into a
/// <see cref="RequestHead"/>. The method is an interned string and the target one string; header names and
/// values stay bytes until the application asks (<see cref="EnvironBenchmarks"/> measures the asking).
/// </summary>
[MemoryDiagnoser]
public class HeadParserBenchmarks
{
    private readonly HeadParser _parser = new(HttpLimits.Default);
    private readonly RequestHead _head = new();

    [Benchmark(Baseline = true)]
    public int ParsePlaintextHead() => Parse(Requests.Plaintext);

    [Benchmark]
    public int ParseBrowserHead() => Parse(Requests.Browser);

    private int Parse(in System.Buffers.ReadOnlySequence<byte> head)
    {
        _parser.Reset();
        if (_parser.Parse(head, _head, out _, out _, out _) != HeadStatus.Complete)
            throw new InvalidOperationException("The benchmark's request head did not parse.");
        return _head.HeaderCount;
    }
}
