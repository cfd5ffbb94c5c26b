using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using HostKit.Chat;

namespace HostKit.Tests.Chat;

/// <summary>The fan-out itself, on sockets that record what they are handed: one serialisation per event, shared by every member.</summary>
public class ChatFanOutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_member_is_handed_the_same_bytes_for_an_event()
    {
        await using var chat = new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 });
        var members = Enumerable.Range(0, 3).Select(_ => new RecordingWebSocket()).ToArray();
        var running = new List<Task>();
        for (var i = 0; i < members.Length; i++)
        {
            running.Add(chat.HandleAsync(members[i], new FakeEnviron($"room=lobby&name=m{i}")).AsTask());
            await members[i].WaitForAsync(m => m.Contains("\"join\"") && m.Contains($"\"m{i}\""));
        }

        await members[0].Inbox.Writer.WriteAsync(WebSocketMessage.FromText("shared"));
        var arrays = new List<byte[]>();
        foreach (var member in members)
        {
            var message = await member.WaitForAsync(m => m.Contains("\"shared\""));
            Assert.True(MemoryMarshal.TryGetArray(message.Data, out var segment));
            arrays.Add(segment.Array!);
        }
        Assert.All(arrays, array => Assert.Same(arrays[0], array));

        foreach (var member in members)
            member.Inbox.Writer.TryComplete();
        await Task.WhenAll(running).WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_join_reaches_the_room_as_one_array_and_its_member_as_the_same_bytes_with_you()
    {
        await using var chat = new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 });
        var members = Enumerable.Range(0, 3).Select(_ => new RecordingWebSocket()).ToArray();
        var running = new List<Task>();
        for (var i = 0; i < members.Length; i++)
        {
            running.Add(chat.HandleAsync(members[i], new FakeEnviron($"room=lobby&name=m{i}")).AsTask());
            await members[i].WaitForAsync(m => m.Contains("\"join\"") && m.Contains("\"m" + i + "\"") && m.Contains("\"you\""));
        }

        // m2's join, as the room got it and as m2 got it.
        var atOthers = new List<WebSocketMessage>();
        foreach (var member in members[..2])
            atOthers.Add(await member.WaitForAsync(m => m.Contains("\"join\"") && m.Contains("\"m2\"")));
        Assert.True(MemoryMarshal.TryGetArray(atOthers[0].Data, out var first));
        Assert.True(MemoryMarshal.TryGetArray(atOthers[1].Data, out var second));
        Assert.Same(first.Array, second.Array);
        var atJoiner = members[2].Sent.Single(m => m.Text.Contains("\"m2\""));

        // Byte for byte what serialising the event makes, without "you" for the room and with it for the joiner.
        var join = JsonSerializer.Deserialize(atOthers[0].Data.Span, ChatJsonContext.Default.ChatEvent)!;
        Assert.Null(join.You);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(join, ChatJsonContext.Default.ChatEvent), atOthers[0].Data.ToArray());
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(join with { You = true }, ChatJsonContext.Default.ChatEvent), atJoiner.Data.ToArray());

        foreach (var member in members)
            member.Inbox.Writer.TryComplete();
        await Task.WhenAll(running).WaitAsync(Timeout);
    }

    /// <summary>An <see cref="IWebSocket"/> that keeps every message given to it and receives from a channel.</summary>
    private sealed class RecordingWebSocket : IWebSocket
    {
        private readonly Channel<WebSocketMessage> _sent = Channel.CreateUnbounded<WebSocketMessage>();

        public Channel<WebSocketMessage> Inbox { get; } = Channel.CreateUnbounded<WebSocketMessage>();

        public string? SubProtocol => null;

        public WebSocketState State => WebSocketState.Open;

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        public string? CloseStatusDescription { get; private set; }

        public long BufferedBytes => 0;

        public async ValueTask<WebSocketMessage?> ReceiveAsync(CancellationToken cancellationToken = default) =>
            await Inbox.Reader.WaitToReadAsync(cancellationToken) && Inbox.Reader.TryRead(out var message) ? message : null;

        public ValueTask SendAsync(WebSocketMessage message, CancellationToken cancellationToken = default)
        {
            _sent.Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        }

        public bool TrySend(WebSocketMessage message) => _sent.Writer.TryWrite(message);

        public ValueTask CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? reason = null, CancellationToken cancellationToken = default)
        {
            (CloseStatus, CloseStatusDescription) = (status, reason);
            return ValueTask.CompletedTask;
        }

        public void Abort() => CloseStatus = (WebSocketCloseStatus)1006;

        /// <summary>What <see cref="WaitForAsync"/> has read so far, in order.</summary>
        public List<WebSocketMessage> Sent { get; } = [];

        public async Task<WebSocketMessage> WaitForAsync(Func<string, bool> match)
        {
            while (true)
            {
                var message = await _sent.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
                Sent.Add(message);
                if (match(message.Text))
                    return message;
            }
        }
    }
}
