using System.Text.Json;

namespace HostKit.Chat;

/// <summary>Turns what the chat sends into websocket messages: one UTF-8 JSON text message each.</summary>
internal static class ChatWire
{
    /// <summary>What a member's own join has after the room's copy's last field (a join always has fields before it).</summary>
    private static ReadOnlySpan<byte> YouAndBrace => ""","you":true}"""u8;

    /// <summary>
    /// Serialises an event once; the same bytes then go to every member (a websocket send does not copy them,
    /// and nothing writes to them after this).
    /// </summary>
    public static WebSocketMessage Encode(ChatEvent chatEvent) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(chatEvent, ChatJsonContext.Default.ChatEvent));

    /// <summary>
    /// A member's own copy of its join: <paramref name="roomsJoin"/>, the bytes <see cref="Encode(ChatEvent)"/> made for the
    /// room, with <c>"you":true</c> put before the closing brace. These are the very bytes serialising the join with
    /// <see cref="ChatEvent.You"/> set would make, since <c>you</c> is the event's last field, without serialising it again.
    /// </summary>
    public static WebSocketMessage EncodeOwnJoin(WebSocketMessage roomsJoin)
    {
        var withoutBrace = roomsJoin.Data.Span[..^1];
        var bytes = new byte[withoutBrace.Length + YouAndBrace.Length];
        withoutBrace.CopyTo(bytes);
        YouAndBrace.CopyTo(bytes.AsSpan(withoutBrace.Length));
        return WebSocketMessage.FromUtf8(bytes);
    }

    public static WebSocketMessage Encode(GapNotice gap) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(gap, ChatJsonContext.Default.GapNotice));

    public static WebSocketMessage Encode(ErrorNotice error) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(error, ChatJsonContext.Default.ErrorNotice));

    public static WebSocketMessage Encode(AckNotice ack) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(ack, ChatJsonContext.Default.AckNotice));
}
