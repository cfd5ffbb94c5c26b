using System.Security.Cryptography;
using System.Text;
using HostKit.Hosts.Raw.Http;

namespace HostKit.Hosts.Raw.WebSockets;

/// <summary>The server side of the RFC 6455 opening handshake (section 4.2), sans-I/O.</summary>
internal static class WebSocketHandshake
{
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Checks a request that asked to upgrade; null when it may be accepted, else the error to answer.</summary>
    public static HttpError? Validate(RequestHead head)
    {
        if (head.Version != HttpVersion.Http11)
            return HttpError.BadRequest("a websocket handshake needs HTTP/1.1");
        if (head.GetHeader("Sec-WebSocket-Version") != "13")
            return new HttpError(426, "unsupported websocket version; this server speaks version 13");
        var key = head.GetHeader("Sec-WebSocket-Key");
        Span<byte> decoded = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key.Trim(), decoded, out var length) || length != 16)
            return HttpError.BadRequest("Sec-WebSocket-Key must be 16 bytes in base64");
        return null;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for <paramref name="key"/>: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + KeyGuid)));

    /// <summary>The subprotocols offered in <c>Sec-WebSocket-Protocol</c>, in order.</summary>
    public static IReadOnlyList<string> SubProtocols(RequestHead head) =>
        head.GetHeader("Sec-WebSocket-Protocol") is { } offered
            ? offered.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
}
