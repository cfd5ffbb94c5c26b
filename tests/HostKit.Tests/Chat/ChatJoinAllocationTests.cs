using System.Net.WebSockets;
using HostKit.Chat;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Tests.Chat;

/// <summary>
/// What one join costs the fan-out in allocated bytes, read with <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// (exact, and the same on a loaded machine): the room's serialisation, then each member's delivery.
/// </summary>
public class ChatJoinAllocationTests(ITestOutputHelper output)
{
    private const int Rounds = 1000;

    /// <remarks>
    /// Before the joiner's copy was spliced from the room's bytes (it was serialised again, from a copy of the event):
    /// encode 152 B, the joiner's delivery 240 B, each other member's 0 B, for this 121 B join.
    /// </remarks>
    [Fact]
    public async Task A_join_is_serialised_once_and_the_joiners_copy_costs_one_array()
    {
        var join = new ChatEvent(ChatEventType.Join, "lobby", "ann", null, 12, 1764600000000, "1764599990000123", "3f9a2c1b7e04");
        var joiner = await CaughtUpMemberAsync(join.Member!);
        var other = await CaughtUpMemberAsync("0123456789ab");

        var encode = PerRound(() => ChatWire.Encode(join));
        var shared = ChatWire.Encode(join);
        var toJoiner = PerRound(() => joiner.Deliver(join, shared));
        var toOther = PerRound(() => other.Deliver(join, shared));
        output.WriteLine($"per join: encode {encode} B, the joiner's delivery {toJoiner} B, each other member's {toOther} B ({shared.Data.Length} B payload)");

        // The joiner's copy is one array of the room's bytes and ",\"you\":true" (its header and padding: under 32 bytes
        // on 64-bit): no second serialisation, no copy of the event. Everyone else's delivery allocates nothing.
        var ownJoinLength = shared.Data.Length + ",\"you\":true".Length;
        Assert.InRange(toJoiner, ownJoinLength, ownJoinLength + 32);
        Assert.Equal(0, toOther);
    }

    private static async Task<ChatMember> CaughtUpMemberAsync(string id)
    {
        var member = new ChatMember(new DiscardingWebSocket(), "lobby", "ann", id, TimeSpan.FromSeconds(5), NullLogger.Instance);
        await member.CatchUpAsync(ChatHistory.Empty, null, CancellationToken.None);
        return member;
    }

    /// <summary>Bytes allocated by one call, averaged over many after a warm-up (the first calls JIT and fill caches).</summary>
    private static long PerRound(Action action)
    {
        for (var i = 0; i < 100; i++)
            action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
            action();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
    }

    /// <summary>Takes every message and keeps none, so that the socket itself allocates nothing.</summary>
    private sealed class DiscardingWebSocket : IWebSocket
    {
        public string? SubProtocol => null;

        public WebSocketState State => WebSocketState.Open;

        public WebSocketCloseStatus? CloseStatus => null;

        public string? CloseStatusDescription => null;

        public long BufferedBytes => 0;

        public ValueTask<WebSocketMessage?> ReceiveAsync(CancellationToken cancellationToken = default) => new((WebSocketMessage?)null);

        public ValueTask SendAsync(WebSocketMessage message, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public bool TrySend(WebSocketMessage message) => true;

        public ValueTask CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? reason = null, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public void Abort()
        {
        }
    }
}
