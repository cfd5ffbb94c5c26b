using System.Text;
using System.Text.Json;

namespace HostKit.Chat;

/// <summary>
/// What a member sent, read from one text frame: either plain text (the whole frame is the message, as chat clients
/// always sent), or <c>{"type":"message","text":"hi","cid":"c7"}</c>, a message with the sender's own id, which is
/// acknowledged and stored at most once however often it is resent (docs/chat.md).
/// </summary>
/// <param name="Text">What was said.</param>
/// <param name="Cid">The sender's id for it, or null for plain text (no ack).</param>
internal readonly record struct ClientMessage(string Text, string? Cid)
{
    /// <summary>The longest cid: enough for a UUID, a counter and a prefix.</summary>
    public const int MaxCidLength = 64;

    /// <summary>Room for the JSON around a text of the largest size, escapes included (each byte can become <c>\u00XX</c>).</summary>
    private static int MaxFrameBytes(int maxTextBytes) => (maxTextBytes * 6) + 512;

    /// <summary>Reads one text frame; false with <paramref name="problem"/> when it is refused (the reason says why).</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, int maxTextBytes, out ClientMessage message, out ClientMessageProblem problem)
    {
        message = default;
        problem = ClientMessageProblem.None;
        if (frame.Length > 0 && frame[0] == (byte)'{' && frame.Length <= MaxFrameBytes(maxTextBytes) && TryReadEnvelope(frame, out var text, out var cid, out var hasCid))
        {
            if (hasCid && !IsValidCid(cid))
                return Refuse(ClientMessageProblem.BadCid, out problem);
            if (Encoding.UTF8.GetByteCount(text) > maxTextBytes)
                return Refuse(ClientMessageProblem.TooBig, out problem);
            message = new ClientMessage(text, cid);
            return true;
        }
        if (frame.Length > maxTextBytes)
            return Refuse(ClientMessageProblem.TooBig, out problem);
        message = new ClientMessage(Encoding.UTF8.GetString(frame), null);
        return true;
    }

    /// <summary>1 to 64 characters from <c>A-Z a-z 0-9 _ - . :</c>: safe in a Redis key and in a log line.</summary>
    public static bool IsValidCid(string? cid)
    {
        if (cid is null || cid.Length is 0 or > MaxCidLength)
            return false;
        foreach (var c in cid)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
                return false;
        }
        return true;
    }

    /// <summary>
    /// True for a JSON object whose <c>type</c> is <c>"message"</c> and whose <c>text</c> is a string; anything else
    /// (not JSON, another shape) is plain text, so a plain-text client that types JSON is still heard.
    /// </summary>
    private static bool TryReadEnvelope(ReadOnlySpan<byte> frame, out string text, out string? cid, out bool hasCid)
    {
        text = string.Empty;
        cid = null;
        hasCid = false;
        string? type = null, foundText = null;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                if (!reader.Read())
                    return false;
                switch (property)
                {
                    case "type" when reader.TokenType == JsonTokenType.String: type = reader.GetString(); break;
                    case "text" when reader.TokenType == JsonTokenType.String: foundText = reader.GetString(); break;
                    case "cid":
                        hasCid = true;
                        cid = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return false;
        }
        catch (JsonException)
        {
            return false;
        }
        if (type != "message" || foundText is null)
            return false;
        text = foundText;
        return true;
    }

    private static bool Refuse(ClientMessageProblem why, out ClientMessageProblem problem)
    {
        problem = why;
        return false;
    }
}
