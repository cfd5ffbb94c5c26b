using System.Buffers;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;
using HostKit.Hosts.Raw.Http;

namespace HostKit.Benchmarks;

/// <summary>The Raw host's per-request parsing: what a plaintext request costs before the app runs.</summary>
[MemoryDiagnoser]
public class RequestParserBenchmarks
{
    private static readonly ReadOnlySequence<byte> Plaintext = new("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"u8.ToArray());
    private static readonly ReadOnlySequence<byte> Browser = new(System.Text.Encoding.ASCII.GetBytes(
        "GET /json?x=1 HTTP/1.1\r\nHost: localhost:8000\r\nConnection: keep-alive\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\nCookie: session=abcdef0123456789\r\n\r\n"));

    private readonly RequestHead _head = new();

    [Benchmark(Baseline = true)]
    public int ParsePlaintext()
    {
        HttpRequestParser.TryParse(Plaintext, HttpLimits.Default, _head, out var consumed, out _);
        return consumed;
    }

    [Benchmark]
    public int ParseBrowserRequest()
    {
        HttpRequestParser.TryParse(Browser, HttpLimits.Default, _head, out var consumed, out _);
        return consumed;
    }
}
