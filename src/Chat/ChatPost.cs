namespace HostKit.Chat;

/// <summary>An event a node asks the backplane to store: a <see cref="ChatEvent"/> before it has an id and a time.</summary>
/// <param name="Type">Join, leave or message.</param>
/// <param name="Room">The room.</param>
/// <param name="Name">The member.</param>
/// <param name="Text">What was said, for a message; null otherwise.</param>
public sealed record ChatPost(ChatEventType Type, string Room, string Name, string? Text = null);
