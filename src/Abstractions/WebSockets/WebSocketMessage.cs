using System.Net.WebSockets;
using System.Text;

namespace HostKit;

/// <summary>One whole websocket message: its type (text or binary) and its bytes.</summary>
/// <remarks>
/// A received message owns its bytes. A message given to <see cref="IWebSocket.SendAsync"/> or
/// <see cref="IWebSocket.TrySend"/> is sent without a copy: keep the bytes unchanged until it is sent,
/// which lets one buffer be broadcast to many sockets.
/// </remarks>
public readonly record struct WebSocketMessage
{
    /// <summary>Creates a message.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is <see cref="WebSocketMessageType.Close"/>; use <see cref="IWebSocket.CloseAsync"/>.</exception>
    public WebSocketMessage(WebSocketMessageType type, ReadOnlyMemory<byte> data)
    {
        if (type is not (WebSocketMessageType.Text or WebSocketMessageType.Binary))
            throw new ArgumentException("A message is text or binary; close a socket with CloseAsync.", nameof(type));
        Type = type;
        Data = data;
    }

    /// <summary><see cref="WebSocketMessageType.Text"/> or <see cref="WebSocketMessageType.Binary"/>.</summary>
    public WebSocketMessageType Type { get; }

    /// <summary>The payload; UTF-8 for a text message.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for a text message.</summary>
    public bool IsText => Type == WebSocketMessageType.Text;

    /// <summary>The payload decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);

    /// <summary>A text message of <paramref name="text"/>, encoded as UTF-8.</summary>
    public static WebSocketMessage FromText(string text) => new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>A text message of bytes that are already UTF-8.</summary>
    public static WebSocketMessage FromUtf8(ReadOnlyMemory<byte> utf8) => new(WebSocketMessageType.Text, utf8);

    /// <summary>A binary message.</summary>
    public static WebSocketMessage FromBinary(ReadOnlyMemory<byte> data) => new(WebSocketMessageType.Binary, data);
}
