using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The server's side of the <c>permessage-deflate</c> negotiation (RFC 7692 section 7), sans-I/O and
/// the same on every host that compresses: the first offer in <c>Sec-WebSocket-Extensions</c> the
/// server can honour is accepted; an offer with an unknown, repeated or malformed parameter is
/// declined (the next one is tried, and with none left the websocket simply runs uncompressed). The
/// codec itself is .NET's (<see cref="WebSocketCreationOptions.DangerousDeflateOptions"/>).
/// </summary>
public sealed class PerMessageDeflate
{
    /// <summary>The extension's token.</summary>
    public const string Name = "permessage-deflate";

    // .NET's zlib takes 9 to 15; RFC 7692 allows 8, which a server can only honour by declining.
    private const int MinWindowBits = 9;
    private const int MaxWindowBits = 15;

    private PerMessageDeflate(int serverMaxWindowBits, bool contextTakeover)
    {
        ServerMaxWindowBits = serverMaxWindowBits;
        ContextTakeover = contextTakeover;
    }

    /// <summary>The window the server compresses with: 15 unless the client asked for less.</summary>
    public int ServerMaxWindowBits { get; }

    /// <summary>
    /// Whether both sides keep their compression context between messages. Off, the response says
    /// <c>server_no_context_takeover</c> and <c>client_no_context_takeover</c>, and zlib's state (about
    /// 300 KiB to compress, 40 KiB to inflate) lives only while a message is being compressed or
    /// inflated, so an idle compressed websocket holds no more than an uncompressed one.
    /// </summary>
    public bool ContextTakeover { get; }

    /// <summary>The <c>Sec-WebSocket-Extensions</c> value of the 101 that accepts this.</summary>
    public string ResponseHeader
    {
        get
        {
            var header = new StringBuilder(Name);
            if (!ContextTakeover)
                header.Append("; server_no_context_takeover; client_no_context_takeover");
            if (ServerMaxWindowBits < MaxWindowBits)
                header.Append(CultureInfo.InvariantCulture, $"; server_max_window_bits={ServerMaxWindowBits}");
            return header.ToString();
        }
    }

    /// <summary>The codec's settings for the accepted offer.</summary>
    public WebSocketDeflateOptions EngineOptions => new()
    {
        ServerMaxWindowBits = ServerMaxWindowBits,
        ServerContextTakeover = ContextTakeover,
        ClientContextTakeover = ContextTakeover,
    };

    /// <summary>
    /// Accepts the first <c>permessage-deflate</c> offer in <paramref name="offers"/> (the request's
    /// <c>Sec-WebSocket-Extensions</c>) that the server can honour; null when there is none.
    /// </summary>
    /// <param name="offers">The header's value, or null.</param>
    /// <param name="contextTakeover">Keep the compression context between messages (<c>WebSocketOptions.CompressionContextTakeover</c>).</param>
    public static PerMessageDeflate? Negotiate(string? offers, bool contextTakeover)
    {
        if (string.IsNullOrWhiteSpace(offers))
            return null;
        foreach (var offer in offers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = offer.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0].Equals(Name, StringComparison.OrdinalIgnoreCase) && Accept(parts.AsSpan(1), contextTakeover) is { } accepted)
                return accepted;
        }
        return null;
    }

    /// <summary>The answer to one offer's parameters, or null to decline it.</summary>
    private static PerMessageDeflate? Accept(ReadOnlySpan<string> parameters, bool contextTakeover)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var serverWindow = MaxWindowBits;
        foreach (var parameter in parameters)
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? parameter : parameter[..equals]).Trim();
            var value = equals < 0 ? null : parameter[(equals + 1)..].Trim().Trim('"');
            if (!seen.Add(name))
                return null; // RFC 7692 section 7: an offer with a repeated parameter is declined
            switch (name.ToLowerInvariant())
            {
                case "server_no_context_takeover" or "client_no_context_takeover" when value is null:
                    break; // honoured: without takeover the server uses neither context anyway, with it the client's wish is kept below
                case "server_max_window_bits" when WindowBits(value) is { } bits:
                    if (bits < MinWindowBits)
                        return null; // a window of 256 bytes cannot be promised
                    serverWindow = bits;
                    break;
                case "client_max_window_bits" when value is null || WindowBits(value) is not null:
                    break; // the client may use up to what it offered; the server inflates with the full window
                default:
                    return null;
            }
        }
        var takeover = contextTakeover && !seen.Contains("server_no_context_takeover") && !seen.Contains("client_no_context_takeover");
        return new PerMessageDeflate(serverWindow, takeover);
    }

    /// <summary>A window size of 8 to 15 written as RFC 7692 wants it (decimal, no leading zero); null otherwise.</summary>
    private static int? WindowBits(string? value) =>
        value is { Length: 1 or 2 } && value[0] != '0' && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= MaxWindowBits
            ? bits
            : null;
}
