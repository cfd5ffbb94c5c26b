using System.Net.WebSockets;
using HostKit.Tests.Support;

namespace HostKit.Tests.Chat;

/// <summary>Reading chat events off a client websocket, and the id checks every chat test makes.</summary>
public static class ChatClientExtensions
{
    public static async Task<ReceivedEvent> ReceiveEventAsync(this WebSocket socket)
    {
        var (type, data) = await socket.ReceiveMessageAsync();
        if (type == WebSocketMessageType.Close)
            throw new Xunit.Sdk.XunitException($"The chat closed the socket with {(int?)socket.CloseStatus} {socket.CloseStatusDescription} instead of sending an event.");
        return ReceivedEvent.Parse(System.Text.Encoding.UTF8.GetString(data));
    }

    /// <summary>Sends a message with the client's own id: <c>{"type":"message","text":...,"cid":...}</c>.</summary>
    public static Task SendMessageAsync(this WebSocket socket, string text, string cid) =>
        socket.SendTextAsync(System.Text.Json.JsonSerializer.Serialize(new { type = "message", text, cid }));

    /// <summary>Reads events until the server closes the socket; returns them.</summary>
    public static async Task<List<ReceivedEvent>> ReceiveUntilCloseAsync(this WebSocket socket, int max = 10_000)
    {
        var events = new List<ReceivedEvent>();
        for (var i = 0; i < max; i++)
        {
            var (type, data) = await socket.ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
                return events;
            events.Add(ReceivedEvent.Parse(System.Text.Encoding.UTF8.GetString(data)));
        }
        throw new Xunit.Sdk.XunitException($"No close after {max} events.");
    }

    public static async Task<List<ReceivedEvent>> ReceiveEventsAsync(this WebSocket socket, int count)
    {
        var events = new List<ReceivedEvent>(count);
        for (var i = 0; i < count; i++)
            events.Add(await socket.ReceiveEventAsync());
        return events;
    }

    /// <summary>Reads events until one matches, returning all of them, the match last.</summary>
    public static async Task<List<ReceivedEvent>> ReceiveUntilAsync(this WebSocket socket, Func<ReceivedEvent, bool> match, int max = 10_000)
    {
        var events = new List<ReceivedEvent>();
        for (var i = 0; i < max; i++)
        {
            events.Add(await socket.ReceiveEventAsync());
            if (match(events[^1]))
                return events;
        }
        throw new Xunit.Sdk.XunitException($"No matching event in {max}; last: {events.LastOrDefault()}");
    }

    /// <summary>Asserts the chat events' ids run on by one from <paramref name="firstId"/>, with no gap and no duplicate.</summary>
    public static void AssertContiguousFrom(this IReadOnlyList<ReceivedEvent> events, long firstId)
    {
        for (var i = 0; i < events.Count; i++)
            Assert.True(events[i].Id == firstId + i, $"event {i} should have id {firstId + i}: {events[i]}; all: {string.Join(" ", events.Select(e => e.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? e.Type))}");
    }
}
