using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>
/// Tells the sender that its message was not stored and reached nobody:
/// <c>{"type":"error","room":"lobby","reason":"the chat backplane is unavailable"}</c>. The connection stays open.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="Reason">Why, for people.</param>
public sealed record ErrorNotice(string Room, string Reason)
{
    /// <summary>Always <c>"error"</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}
