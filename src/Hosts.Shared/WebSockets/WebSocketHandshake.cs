using System.Security.Cryptography;
using System.Text;

namespace HostKit.Hosts;

/// <summary>
/// The server side of the RFC 6455 opening handshake (section 4.2), sans-I/O, the same rules on
/// every host. A request is a websocket handshake when it is an HTTP/1.1 GET with
/// <c>Upgrade: websocket</c> and <c>Connection: upgrade</c>; anything else that mentions websocket is
/// an ordinary request for the application (which answers 426 on a websocket route). A handshake is
/// then refused by the host, before the application runs, when its version is not 13 (426 with
/// <c>Sec-WebSocket-Version: 13</c>) or its key is not 16 bytes in base64 (400).
/// </summary>
public static class WebSocketHandshake
{
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>True when the headers ask to switch to websocket: <c>Upgrade</c> lists <c>websocket</c> and <c>Connection</c> lists <c>upgrade</c>.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="isHttp11">The request is HTTP/1.1.</param>
    /// <param name="upgrade">The <c>Upgrade</c> header, or null.</param>
    /// <param name="connection">The <c>Connection</c> header, or null.</param>
    public static bool IsRequested(string method, bool isHttp11, string? upgrade, string? connection) =>
        method == "GET" && isHttp11 && HasToken(upgrade, "websocket") && HasToken(connection, "upgrade");

    /// <summary>Checks a request that asks to upgrade; null when it may be accepted, else why it is refused.</summary>
    /// <param name="version">The <c>Sec-WebSocket-Version</c> header, or null.</param>
    /// <param name="key">The <c>Sec-WebSocket-Key</c> header, or null.</param>
    public static RequestRejection? Validate(string? version, string? key)
    {
        if (version?.Trim() != "13")
            return RequestRejection.UnsupportedWebSocketVersion;
        Span<byte> decoded = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key.Trim(), decoded, out var length) || length != 16)
            return RequestRejection.InvalidWebSocketKey;
        return null;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for <paramref name="key"/>: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + KeyGuid)));
    }

    /// <summary>The subprotocols offered in <c>Sec-WebSocket-Protocol</c>, in the client's order.</summary>
    public static IReadOnlyList<string> SubProtocols(string? offered) =>
        offered is null ? [] : offered.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The whole <c>101 Switching Protocols</c> response for <paramref name="key"/>, with <paramref name="subProtocol"/> when one was chosen.</summary>
    public static byte[] SwitchingProtocols(string key, string? subProtocol)
    {
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(AcceptKey(key)).Append("\r\n");
        if (subProtocol is not null)
            response.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        return Encoding.ASCII.GetBytes(response.Append("\r\n").ToString());
    }

    private static bool HasToken(string? value, string token)
    {
        if (value is null)
            return false;
        foreach (var range in value.AsSpan().Split(','))
        {
            if (value.AsSpan()[range].Trim(" \t").Equals(token, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
