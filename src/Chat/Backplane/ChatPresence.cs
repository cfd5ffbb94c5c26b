namespace HostKit.Chat.Backplane;

/// <summary>
/// A member listed as present in a room by <see cref="IChatBackplane.JoinAsync"/>: its <c>join</c> event, and what
/// <see cref="IChatBackplane.LeaveAsync"/> needs to take it off the list again.
/// </summary>
/// <param name="Join">The member's stored <c>join</c> event.</param>
/// <param name="Node">The backplane's name for the node (process) the member is connected to; empty for a backplane in this process.</param>
/// <param name="Member">The backplane's name for this one connection; empty for a backplane in this process.</param>
/// <param name="Expired">
/// Fires when the backplane stopped listing the member without a <see cref="IChatBackplane.LeaveAsync"/>: its node was
/// taken for dead (it could not renew its presence in time), so other nodes may have announced the member's <c>leave</c>.
/// The connection then closes the member, which reconnects and joins again. Never fires for a backplane in this process.
/// </param>
public sealed record ChatPresence(ChatEvent Join, string Node, string Member, CancellationToken Expired);
