using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>
/// Tells a client that it missed events: <c>{"type":"gap","room":"lobby","from":12,"to":40}</c>. The client had
/// everything up to <see cref="From"/>; the next event it gets has id <see cref="To"/>; the ones between are gone.
/// When <see cref="From"/> is not less than <see cref="To"/>, the room no longer knows the client's ids (an
/// in-memory server restarted): the ids from <see cref="To"/> on are a new baseline.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="From">The last id the client had (its <c>after</c>, or the last event it was sent).</param>
/// <param name="To">The id of the next event it will get.</param>
public sealed record GapNotice(string Room, long From, long To)
{
    /// <summary>Always <c>"gap"</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "gap";
}
