using System.Buffers;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// <c>websocket</c>: <see cref="WebSocketHandshake"/>'s <c>IsRequested</c>, <c>Validate</c> and <c>SubProtocols</c>,
/// two ways. The input as a request head, parsed as the Raw host parses it, gives the headers exactly as that
/// host hands them over; the input as LF-separated fields (method, version, Upgrade, Connection,
/// Sec-WebSocket-Version, Sec-WebSocket-Key, Sec-WebSocket-Protocol) gives any strings another engine might.
/// </summary>
internal sealed class WebSocketTarget : IFuzzTarget
{
    public string Name => "websocket";

    public string Description => "the websocket handshake rules: WebSocketHandshake.IsRequested, Validate, SubProtocols";

    public void Run(ReadOnlySpan<byte> input)
    {
        var bytes = ConnectionOracle.Cut(input);
        var protocol = new Http1Protocol(HttpLimits.Default);
        if (protocol.ReadHead(new ReadOnlySequence<byte>(bytes), out _, out _) == HeadStatus.Complete)
        {
            FromHead(protocol.Head);
            // And through the pump, however the bytes arrive: the same upgrade, or the same refusal, each time.
            ConnectionOracle.Run(bytes);
        }

        var fields = new Fields(input);
        var method = fields[0] ?? "GET";
        var http11 = fields[1] is null or "HTTP/1.1";
        CheckIsRequested(method, http11, fields[2], fields[3]);
        CheckValidate(fields[4], fields[5]);
        CheckSubProtocols(fields[6]);
    }

    /// <summary>As the Raw host: the parser's flag decides, then the version and key, then the offered subprotocols go to the application.</summary>
    private static void FromHead(RequestHead head)
    {
        HeadInvariants.Check(head, HttpLimits.Default);
        var key = head.GetHeader("Sec-WebSocket-Key");
        if (!head.WantsWebSocket || WebSocketHandshake.Validate(head.GetHeader("Sec-WebSocket-Version"), key) is not null)
            return;
        foreach (var offered in WebSocketHandshake.SubProtocols(head.GetHeader("Sec-WebSocket-Protocol")))
        {
            // Whatever the application picks of what was offered, the 101 stays one well-formed head.
            var response = Encoding.Latin1.GetString(WebSocketHandshake.SwitchingProtocols(key!, offered));
            Check.Equal(response.Length - 4, response.IndexOf("\r\n\r\n", StringComparison.Ordinal), $"the 101 for subprotocol \"{Printable.Escape(offered)}\" ends exactly once");
            Check.That(!response.Replace("\r\n", "", StringComparison.Ordinal).Contains('\r', StringComparison.Ordinal) && !response.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal),
                $"the 101 for subprotocol \"{Printable.Escape(offered)}\" has a bare CR or LF");
        }
    }

    private static void CheckIsRequested(string method, bool http11, string? upgrade, string? connection)
    {
        var requested = WebSocketHandshake.IsRequested(method, http11, upgrade, connection);
        static bool Lists(string? value, string token) => value is not null && HeadInvariants.Tokens(value).Contains(token, StringComparer.OrdinalIgnoreCase);
        Check.Equal(method == "GET" && http11 && Lists(upgrade, "websocket") && Lists(connection, "upgrade"), requested,
            $"IsRequested({method}, {http11}, \"{Printable.Escape(upgrade ?? "(none)")}\", \"{Printable.Escape(connection ?? "(none)")}\")");
        // Header names and tokens are case-insensitive, and a header repeated is a list joined with ", ".
        Check.Equal(requested, WebSocketHandshake.IsRequested(method, http11, AsciiUpper(upgrade), AsciiLower(connection)), "IsRequested ignores the tokens' case");
        if (requested)
            Check.That(WebSocketHandshake.IsRequested(method, http11, upgrade + ", h2c", "keep-alive, " + connection), "IsRequested with more tokens listed");
    }

    private static void CheckValidate(string? version, string? key)
    {
        var refused = WebSocketHandshake.Validate(version, key);
        Check.That(refused is null or RequestRejection.UnsupportedWebSocketVersion or RequestRejection.InvalidWebSocketKey, $"Validate refused with {refused}, not a handshake reason");
        if (refused is { } reason)
        {
            var status = RequestRejections.Status(reason);
            Check.That(Enum.IsDefined(reason) && status is >= 400 and <= 499, $"{reason} is answered with {status}");
        }
        // Optional whitespace around a value (RFC 9110 section 5.6.3) is not part of it: an engine may leave it on.
        Check.Equal(refused, WebSocketHandshake.Validate(Pad(version), Pad(key)), "Validate with the values padded with SP and HTAB");
        var versionIs13 = version is not null && version.Trim() == "13";
        Check.That(versionIs13 || refused == RequestRejection.UnsupportedWebSocketVersion, $"version \"{Printable.Escape(version ?? "(none)")}\" was accepted");
        if (!versionIs13)
            return;
        Check.Equal(DecodesTo16Bytes(key), refused is null, $"Validate of the key \"{Printable.Escape(key ?? "(none)")}\"");
        if (refused is not null)
            return;
        var accept = WebSocketHandshake.AcceptKey(key!);
        Check.That(accept.Length == 28 && Convert.FromBase64String(accept).Length == 20, $"Sec-WebSocket-Accept \"{accept}\" is a base64 SHA-1");
        Check.Equal(accept, WebSocketHandshake.AcceptKey(Pad(key)!), "AcceptKey with the key padded");
        var response = Encoding.Latin1.GetString(WebSocketHandshake.SwitchingProtocols(key!, null));
        Check.That(response.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal) && response.EndsWith($"\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", StringComparison.Ordinal), "the 101 carries the accept key");
    }

    private static void CheckSubProtocols(string? offered)
    {
        var protocols = WebSocketHandshake.SubProtocols(offered);
        if (offered is null)
        {
            Check.Equal(0, protocols.Count, "SubProtocols of no header");
            return;
        }
        foreach (var protocol in protocols)
        {
            Check.That(protocol.Length > 0 && !protocol.Contains(',', StringComparison.Ordinal), $"subprotocol \"{Printable.Escape(protocol)}\" is one non-empty list element");
            Check.That(!char.IsWhiteSpace(protocol[0]) && !char.IsWhiteSpace(protocol[^1]), $"subprotocol \"{Printable.Escape(protocol)}\" is trimmed");
            Check.That(offered.Contains(protocol, StringComparison.Ordinal), $"subprotocol \"{Printable.Escape(protocol)}\" was offered");
        }
        // The same header sent twice is one list (RFC 9110 section 5.3): splitting must not care where it was cut.
        var cut = offered.IndexOf(',', StringComparison.Ordinal);
        if (cut >= 0)
        {
            var joined = WebSocketHandshake.SubProtocols(offered[..cut]).Concat(WebSocketHandshake.SubProtocols(offered[(cut + 1)..]));
            Check.That(joined.SequenceEqual(protocols), $"SubProtocols(\"{Printable.Escape(offered)}\") is its halves' lists joined");
        }
        Check.That(WebSocketHandshake.SubProtocols(string.Join(", ", protocols)).SequenceEqual(protocols), "SubProtocols of its own list, joined, is that list");
    }

    private static bool DecodesTo16Bytes(string? key)
    {
        if (key is null)
            return false;
        try
        {
            return Convert.FromBase64String(key.Trim()).Length == 16;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? Pad(string? value) => value is null ? null : " \t" + value + "\t ";

    private static string? AsciiUpper(string? value) => value is null ? null : string.Create(value.Length, value, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
            span[i] = char.IsAsciiLetterLower(source[i]) ? (char)(source[i] - 32) : source[i];
    });

    private static string? AsciiLower(string? value) => value is null ? null : string.Create(value.Length, value, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
            span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
    });
}
