namespace HostKit.Chat;

/// <summary>An event a node asks the backplane to store: a <see cref="ChatEvent"/> before it has an id and a time.</summary>
/// <param name="Type">Join, leave or message.</param>
/// <param name="Room">The room.</param>
/// <param name="Name">The member.</param>
/// <param name="Text">What was said, for a message; null otherwise.</param>
/// <param name="Cid">
/// The sender's own id for a message (<c>cid</c>, docs/chat.md), or null. The backplane stores a message with a cid the sender
/// used recently at most once: a resend gets the event stored the first time, and nothing new is stored.
/// </param>
/// <param name="Member">The connection's member id (<see cref="ChatEvent.Member"/>), stored with the event; null for none.</param>
public sealed record ChatPost(ChatEventType Type, string Room, string Name, string? Text = null, string? Cid = null, string? Member = null);
