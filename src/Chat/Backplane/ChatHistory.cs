namespace HostKit.Chat.Backplane;

/// <summary>Part of a room's log, read at one instant, with where the log starts and ends.</summary>
/// <param name="Events">Contiguous events, oldest first, ending at <paramref name="NewestId"/> when not empty.</param>
/// <param name="OldestKeptId">The id of the oldest event the room still keeps; <paramref name="NewestId"/> + 1 when it keeps none.</param>
/// <param name="NewestId">The id of the newest event ever stored in the room; 0 when none was.</param>
/// <param name="Epoch">The incarnation of the room's log these ids belong to (<see cref="ChatEvent.Epoch"/>); null for a room with no epoch yet.</param>
public sealed record ChatHistory(IReadOnlyList<ChatEvent> Events, long OldestKeptId, long NewestId, string? Epoch = null)
{
    /// <summary>The history of a room where nothing happened yet.</summary>
    public static ChatHistory Empty { get; } = new([], 1, 0);

    /// <summary>The id of the first event a reader of this history gets next: the first of <see cref="Events"/>, or <see cref="NewestId"/> + 1.</summary>
    public long NextId => Events.Count > 0 ? Events[0].Id : NewestId + 1;
}
