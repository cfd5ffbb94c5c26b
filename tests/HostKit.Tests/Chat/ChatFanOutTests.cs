using System.Net.WebSockets;
using System.Runtime.InteropServices;
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

        public async Task<WebSocketMessage> WaitForAsync(Func<string, bool> match)
        {
            while (true)
            {
                var message = await _sent.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
                if (match(message.Text))
                    return message;
            }
        }
    }
}
