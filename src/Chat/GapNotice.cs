using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>
/// Tells a client that it missed events: <c>{"type":"gap","room":"lobby","from":12,"to":40}</c>. The client had
/// everything up to <see cref="From"/>; the next event it gets has id <see cref="To"/>; the ones between are gone.
/// When <see cref="Reset"/> is true (or, from older servers, <see cref="From"/> is not less than <see cref="To"/>), the
/// room's log is a new incarnation (Redis lost its data, an in-memory server restarted): whatever followed
/// <see cref="From"/> in the old one is gone, and the ids from <see cref="To"/> on, with the new epoch, are a new baseline.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="From">The last id the client had (its <c>after</c>, or the last event it was sent).</param>
/// <param name="To">The id of the next event it will get.</param>
/// <param name="Reset">True when the client's ids belong to an earlier incarnation of the room; left out of the JSON otherwise.</param>
public sealed record GapNotice(string Room, long From, long To, bool? Reset = null)
{
    /// <summary>Always <c>"gap"</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "gap";
}
