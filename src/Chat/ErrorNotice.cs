using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>
/// Tells the sender that a message of its own was not stored, or that nobody can tell yet:
/// <c>{"type":"error","room":"lobby","cid":"c7","outcome":"not-stored","reason":"..."}</c>. The connection stays open.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="Reason">Why, for people.</param>
/// <param name="Cid">The message's <c>cid</c>, when it had one; left out of the JSON otherwise.</param>
/// <param name="Outcome"><see cref="NotStored"/> (it reached nobody) or <see cref="Unknown"/> (send it again with the same cid to find out).</param>
public sealed record ErrorNotice(string Room, string Reason, string? Cid = null, string Outcome = ErrorNotice.NotStored)
{
    /// <summary>The message was not stored and reached nobody.</summary>
    public const string NotStored = "not-stored";

    /// <summary>The message may or may not have been stored (the backplane did not answer in time); a resend with the same cid settles it.</summary>
    public const string Unknown = "unknown";

    /// <summary>Always <c>"error"</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}
