namespace HostKit.Chat;

/// <summary>
/// One event of a room's log, as every member receives it:
/// <c>{"type":"message","room":"lobby","name":"ann","text":"hi","id":7,"ts":1764600000000,"epoch":"1764599990000123"}</c>.
/// </summary>
/// <param name="Type">Join, leave or message.</param>
/// <param name="Room">The room it happened in.</param>
/// <param name="Name">Who joined, left or spoke.</param>
/// <param name="Text">What was said; null (and left out of the JSON) for join and leave.</param>
/// <param name="Id">The event's place in the room: 1 for the first event, then one more per event, the same for every member. Assigned by the backplane.</param>
/// <param name="Ts">When the backplane stored it, in Unix milliseconds.</param>
/// <param name="Epoch">
/// The incarnation of the room's log that assigned <paramref name="Id"/>: ids count from 1 again in a new one (Redis lost its
/// data, an in-memory server restarted). A client resumes with <c>after=ID&amp;epoch=EPOCH</c>; null (left out) when the
/// backplane has none for the room yet.
/// </param>
/// <param name="Member">
/// The connection that joined, left or spoke: an opaque id the server gives each connection (<see cref="ChatMemberId"/>),
/// unique among the room's members on every node, so two members who share a name can be told apart. Null (left out) for
/// events stored before members had ids.
/// </param>
/// <param name="You">
/// True on a member's own <c>join</c>, in the copy sent to that member only: how a client learns its own
/// <paramref name="Member"/> id. Null (left out) otherwise; never stored. It stays the last parameter, so the last field
/// written: the member's copy is the room's bytes with it spliced in before the closing brace (<c>ChatWire.EncodeOwnJoin</c>).
/// </param>
public sealed record ChatEvent(ChatEventType Type, string Room, string Name, string? Text, long Id, long Ts, string? Epoch = null, string? Member = null, bool? You = null);
