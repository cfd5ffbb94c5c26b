using System.Net.WebSockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using HostKit.Hosts;
using HostKit.Testing.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Benchmarks.WebSockets;

/// <summary>
/// What permessage-deflate costs and saves on chat-like text: one echo (the client sends, the server's
/// <see cref="WebSocketSession"/> receives and sends it back, the client receives) over an in-memory duplex
/// stream, with and without compression as the kit negotiates it (no context takeover). The time is both
/// sides' CPU, since both run in this process; the bytes on the wire per echo are printed at setup
/// ("wire bytes per echo"), both directions, frame headers included.
/// </summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private readonly CancellationTokenSource _stop = new();
    private WebSocket _client = null!;
    private WebSocketSession _server = null!;
    private byte[] _message = [];
    private readonly byte[] _receive = new byte[64 * 1024];

    [Params(false, true)]
    public bool Compression { get; set; }

    /// <summary>A chat event (~110 B of JSON) or a 4 KiB JSON document.</summary>
    [Params("chat", "4KiB")]
    public string Message { get; set; } = "chat";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        const string chatEvent = """{"type":"message","room":"lobby","name":"ann","text":"see you at the standup","id":1234,"ts":1764600001234}""";
        _message = Encoding.UTF8.GetBytes(Message == "chat" ? chatEvent : string.Concat(Enumerable.Repeat(chatEvent + ",", 4096 / (chatEvent.Length + 1) + 1))[..4096]);
        var (server, client) = DuplexPipeStream.CreatePair();
        var counted = new CountingStream(client);
        var deflate = Compression ? PerMessageDeflate.Negotiate(PerMessageDeflate.Name, contextTakeover: false)!.EngineOptions : null;
        _client = WebSocket.CreateFromStream(counted, new WebSocketCreationOptions { KeepAliveInterval = TimeSpan.Zero, DangerousDeflateOptions = deflate });
        var options = WebSocketOptions.Default with { KeepAliveInterval = TimeSpan.Zero };
        _server = new WebSocketSession(WebSocket.CreateFromStream(server, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero, DangerousDeflateOptions = deflate }), options, NullLogger.Instance);
        await EchoAsync();
        counted.Reset();
        await EchoAsync();
        Console.WriteLine($"// wire bytes per echo ({Message}, compression {(Compression ? "on" : "off")}): {counted.Bytes} for {_message.Length * 2} bytes of payload");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _server.Abort();
        _client.Abort();
    }

    /// <summary>One message there and back.</summary>
    [Benchmark]
    public async Task<int> EchoAsync()
    {
        await _client.SendAsync(_message, WebSocketMessageType.Text, true, _stop.Token);
        var received = await _server.ReceiveAsync() ?? throw new InvalidOperationException("the server's side closed");
        await _server.SendAsync(received);
        var total = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _client.ReceiveAsync(_receive.AsMemory(total), _stop.Token);
            total += result.Count;
        }
        while (!result.EndOfMessage);
        return total;
    }

    /// <summary>Counts the bytes that cross the client's end of the connection, both ways.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Bytes { get; private set; }

        public void Reset() => Bytes = 0;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Bytes += read;
            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bytes += buffer.Length;
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => inner.Flush();

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
