using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace HostKit.Benchmarks.Http;

/// <summary>
/// The kit's one HTTP/1.1 connection loop (<see cref="Http1PipeConnection"/>, what raw, uring, kestrel-transport and minimal
/// run) with no socket under it: each operation hands the loop wrk's pipelined batch (16 <c>GET /plaintext</c> in one
/// read, as <c>bench/wrk/pipeline.lua</c> sends them) and takes the 16 answers from its output. The pipes run their
/// continuations inline, so the whole batch is served on the benchmark's thread: what is measured is the loop's own work
/// per request (parse, invoke, plan, write, the async steps between), which the pipelined workload is most sensitive to.
/// </summary>
[MemoryDiagnoser]
public class PipelinedLoopBenchmarks
{
    private const int Depth = 16;
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();
    private static readonly PipeOptions Inline = new(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, useSynchronizationContext: false);

    private readonly byte[] _batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n", Depth)));
    private Pipe _input = null!;
    private Pipe _output = null!;
    private Http1PipeConnection _connection = null!;
    private long _answerBytes;

    /// <summary>
    /// Whether the host runs a step on entering the application (uring's <see cref="Http1PipeConnection.EnteringApplication"/>,
    /// here one that completes at once, as it does on a thread that is not the ring's).
    /// </summary>
    [Params(false, true)]
    public bool EnteringHook { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_input, _output) = (new Pipe(Inline), new Pipe(Inline));
        var runtime = new HostRuntime("bench", Plaintext, new ServerOptions());
        var local = new IPEndPoint(IPAddress.Loopback, 8080);
        var transport = new DuplexPipeTransport(new Duplex(_input.Reader, _output.Writer), () => { });
        _connection = new Http1PipeConnection(transport, runtime, local, new IPEndPoint(IPAddress.Loopback, 40000))
        {
            EnteringApplication = EnteringHook ? () => default : null,
        };
        _connection.Start();
        ServeBatch();
        // The loop starts on the thread pool: let it reach its wait, from which the next batches run inline.
        Thread.Sleep(200);
        _answerBytes = ServeBatch(inline: true);
        if (_answerBytes == 0)
            throw new InvalidOperationException("The loop did not answer the batch inline.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input.Writer.Complete();
        _connection.Completion.GetAwaiter().GetResult();
    }

    /// <summary>One pipelined batch of 16 requests in, 16 answers out.</summary>
    [Benchmark(OperationsPerInvoke = Depth)]
    public long Pipelined16()
    {
        var bytes = ServeBatch(inline: true);
        return bytes == _answerBytes ? bytes : throw new InvalidOperationException($"{bytes} answer bytes, not {_answerBytes}.");
    }

    private long ServeBatch(bool inline = false)
    {
        _input.Writer.Write(_batch);
        // Inline pipes: the loop reads, serves the batch and flushes its answers before this returns.
        _input.Writer.FlushAsync().GetAwaiter().GetResult();
        if (!_output.Reader.TryRead(out var answers))
        {
            if (inline)
                throw new InvalidOperationException("The loop did not answer inline.");
            answers = _output.Reader.ReadAtLeastAsync(1).AsTask().GetAwaiter().GetResult();
        }
        var length = answers.Buffer.Length;
        _output.Reader.AdvanceTo(answers.Buffer.End);
        return length;
    }

    private static ValueTask<Body> Plaintext(Environ environ, StartResponse start)
    {
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(Hello);
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
