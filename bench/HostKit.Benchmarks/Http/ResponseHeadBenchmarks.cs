using System.Buffers;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;

namespace HostKit.Benchmarks.Http;

/// <summary>
/// Response writing in the host kit, without a socket: the application's <c>start_response</c> into a
/// <see cref="ResponseHead"/>, the <see cref="ResponsePlan"/> (framing, keep-alive) every host makes from it, and
/// <see cref="ResponseHeadWriter"/> serializing the head and the body into a buffer, as the <c>raw</c> and
/// <c>minimal</c> hosts do before their flush. Kestrel and HttpListener serialize heads with their own code (the
/// plan is the kit's, the bytes the engine's): their response writing is measured end to end, by
/// <see cref="EndToEnd.PlaintextRequestBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class ResponseHeadBenchmarks
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();
    private static readonly byte[] Json = "{\"message\":\"Hello, World!\"}"u8.ToArray();
    private static readonly (string, string)[] PlaintextHeaders = [("Content-Type", "text/plain")];
    private static readonly (string, string)[] FiveHeaders =
    [
        ("Content-Type", "application/json"), ("Cache-Control", "no-store"), ("X-Request-Id", "3f2a9c1e"),
        ("Set-Cookie", "session=abcdef0123456789; Path=/; HttpOnly"), ("Vary", "Accept-Encoding"),
    ];

    // Never enumerated: the plan only needs to know the body's length is unknown.
    private static readonly Body Streamed = Body.Of(Chunks());

    private static readonly RequestSummary KeepAliveHttp11 = new(IsHead: false, IsHttp11: true, KeepAlive: true);

    private readonly ResponseHead _head = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);

    /// <summary>The Demo's <c>/plaintext</c> answer: one header, a 13-byte body of known length.</summary>
    [Benchmark(Baseline = true)]
    public int Plaintext() => Write(PlaintextHeaders, Hello);

    /// <summary>Five headers, a JSON body of known length.</summary>
    [Benchmark]
    public int FiveHeadersJson() => Write(FiveHeaders, Json);

    /// <summary>A streamed body of unknown length: the plan chooses chunked framing, and the first chunk is written.</summary>
    [Benchmark]
    public int ChunkedFirstChunk()
    {
        _head.Reset();
        _head.Start(200, PlaintextHeaders);
        var plan = ResponsePlan.For(KeepAliveHttp11, _head, Streamed);
        _output.ResetWrittenCount();
        ResponseHeadWriter.Write(_output, _head.Status, _head.Headers, plan);
        ResponseHeadWriter.WriteChunkHeader(_output, Hello.Length);
        _output.Write(Hello);
        ResponseHeadWriter.WriteChunkEnd(_output);
        return _output.WrittenCount;
    }

    private int Write((string, string)[] headers, byte[] body)
    {
        _head.Reset();
        _head.Start(200, headers);
        var plan = ResponsePlan.For(KeepAliveHttp11, _head, Body.Of(body));
        _output.ResetWrittenCount();
        ResponseHeadWriter.Write(_output, _head.Status, _head.Headers, plan);
        _output.Write(body);
        return _output.WrittenCount;
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        await Task.CompletedTask;
        yield return Hello;
    }
}
