using System.Text.Json;

namespace HostKit.Chat;

/// <summary>Turns what the chat sends into websocket messages: one UTF-8 JSON text message each.</summary>
internal static class ChatWire
{
    /// <summary>
    /// Serialises an event once; the same bytes then go to every member (a websocket send does not copy them,
    /// and nothing writes to them after this).
    /// </summary>
    public static WebSocketMessage Encode(ChatEvent chatEvent) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(chatEvent, ChatJsonContext.Default.ChatEvent));

    public static WebSocketMessage Encode(GapNotice gap) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(gap, ChatJsonContext.Default.GapNotice));

    public static WebSocketMessage Encode(ErrorNotice error) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(error, ChatJsonContext.Default.ErrorNotice));

    public static WebSocketMessage Encode(AckNotice ack) =>
        WebSocketMessage.FromUtf8(JsonSerializer.SerializeToUtf8Bytes(ack, ChatJsonContext.Default.AckNotice));
}
