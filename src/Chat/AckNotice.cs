using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>
/// Tells the sender that its message with a <c>cid</c> is stored:
/// <c>{"type":"ack","room":"lobby","cid":"c7","id":42,"epoch":"1764599990000123"}</c>. A resend of a stored message gets
/// the same ack, with the id it was stored as the first time.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="Cid">The sender's id for the message.</param>
/// <param name="Id">The id of the stored <c>message</c> event.</param>
/// <param name="Epoch">The epoch of the room's log that <paramref name="Id"/> belongs to; left out when the backplane has none.</param>
public sealed record AckNotice(string Room, string Cid, long Id, string? Epoch = null)
{
    /// <summary>Always <c>"ack"</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "ack";
}
