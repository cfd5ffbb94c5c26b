using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace HostKit.Hosts.Protocol;

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

    /// <summary>Base64 of a 20-byte SHA-1.</summary>
    private const int AcceptKeyLength = 28;

    /// <summary>True when the headers ask to switch to websocket: <c>Upgrade</c> lists <c>websocket</c> and <c>Connection</c> lists <c>upgrade</c>.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="isHttp11">The request is HTTP/1.1.</param>
    /// <param name="upgrade">The <c>Upgrade</c> header, or null.</param>
    /// <param name="connection">The <c>Connection</c> header, or null.</param>
    public static bool IsRequested(string method, bool isHttp11, string? upgrade, string? connection) =>
        method == "GET" && isHttp11 && HeaderTokens.Contains(upgrade, "websocket") && HeaderTokens.Contains(connection, "upgrade");

    /// <summary>Checks a request that asks to upgrade; null when it may be accepted, else why it is refused.</summary>
    /// <param name="version">The <c>Sec-WebSocket-Version</c> header, or null.</param>
    /// <param name="key">The <c>Sec-WebSocket-Key</c> header, or null.</param>
    public static RequestRejection? Validate(string? version, string? key)
    {
        if (ValidateVersion(version) is { } unsupported)
            return unsupported;
        Span<byte> decoded = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key.Trim(), decoded, out var length) || length != 16)
            return RequestRejection.InvalidWebSocketKey;
        return null;
    }

    /// <summary>
    /// Checks the version of a websocket request that has no key: one over HTTP/2 (RFC 8441 extended CONNECT, which drops
    /// <c>Sec-WebSocket-Key</c> and <c>-Accept</c>). Null when it is 13, else the same refusal as an HTTP/1.1 handshake gets.
    /// </summary>
    /// <param name="version">The <c>Sec-WebSocket-Version</c> header, or null.</param>
    public static RequestRejection? ValidateVersion(string? version) =>
        version?.Trim() == "13" ? null : RequestRejection.UnsupportedWebSocketVersion;

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for <paramref name="key"/>: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> accept = stackalloc byte[AcceptKeyLength];
        WriteAcceptKey(key, accept);
        return Encoding.ASCII.GetString(accept);
    }

    /// <summary>The subprotocols offered in <c>Sec-WebSocket-Protocol</c>, in the client's order.</summary>
    public static IReadOnlyList<string> SubProtocols(string? offered) =>
        offered is null ? [] : offered.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The whole <c>101 Switching Protocols</c> response for <paramref name="key"/>, with <paramref name="subProtocol"/> when one was chosen.</summary>
    public static byte[] SwitchingProtocols(string key, string? subProtocol) => SwitchingProtocols(key, subProtocol, null);

    /// <summary>The whole <c>101 Switching Protocols</c> response for <paramref name="key"/>, with <paramref name="subProtocol"/> and <paramref name="extensions"/> (<c>Sec-WebSocket-Extensions</c>) when there are any.</summary>
    /// <remarks>
    /// Written straight into the one array it returns: every websocket a server opens makes one, and the
    /// string building it replaced left about 1 KiB of garbage per connection, most of an idle
    /// websocket's memory on a server that opens thousands before its first collection.
    /// </remarks>
    public static byte[] SwitchingProtocols(string key, string? subProtocol, string? extensions)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = SwitchingProtocolsHead.Length + AcceptKeyLength + 2 + HeaderLength(SubProtocolHeader, subProtocol) + HeaderLength(ExtensionsHeader, extensions) + 2;
        var response = new byte[length];
        var rest = response.AsSpan();
        Append(ref rest, SwitchingProtocolsHead);
        WriteAcceptKey(key, rest);
        rest = rest[AcceptKeyLength..];
        Append(ref rest, "\r\n"u8);
        AppendHeader(ref rest, SubProtocolHeader, subProtocol);
        AppendHeader(ref rest, ExtensionsHeader, extensions);
        Append(ref rest, "\r\n"u8);
        return response;
    }

    private static int HeaderLength(ReadOnlySpan<byte> name, string? value) => value is null ? 0 : name.Length + value.Length + 2;

    private static void AppendHeader(ref Span<byte> destination, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
            return;
        Append(ref destination, name);
        destination = destination[Encoding.ASCII.GetBytes(value, destination)..];
        Append(ref destination, "\r\n"u8);
    }

    private static ReadOnlySpan<byte> SwitchingProtocolsHead => "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "u8;

    private static ReadOnlySpan<byte> SubProtocolHeader => "Sec-WebSocket-Protocol: "u8;

    private static ReadOnlySpan<byte> ExtensionsHeader => "Sec-WebSocket-Extensions: "u8;

    private static void Append(ref Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        destination = destination[bytes.Length..];
    }

    /// <summary>Writes the accept value (<see cref="AcceptKeyLength"/> ASCII bytes) for <paramref name="key"/> without allocating.</summary>
    private static void WriteAcceptKey(string key, Span<byte> destination)
    {
        var trimmed = key.AsSpan().Trim();
        // A valid key is 24 characters; an odd one still gets its answer, from a rented buffer instead of the stack.
        var inputLength = trimmed.Length + KeyGuid.Length;
        byte[]? rented = null;
        var input = inputLength <= 128 ? stackalloc byte[128] : (rented = ArrayPool<byte>.Shared.Rent(inputLength));
        try
        {
            var written = Encoding.ASCII.GetBytes(trimmed, input);
            written += Encoding.ASCII.GetBytes(KeyGuid, input[written..]);
            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(input[..written], hash);
            Base64.EncodeToUtf8(hash, destination, out _, out _);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
