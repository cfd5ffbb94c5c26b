using Microsoft.Extensions.Logging;

namespace HostKit.Chat.Redis;

/// <summary>The Redis backplane's log lines (event ids from 120, after the chat's own).</summary>
internal static partial class RedisChatLog
{
    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Redis at {Address} is unreachable ({Failure}): new chat connections get 503 and messages are refused until it is back")]
    public static partial void Unreachable(ILogger logger, string address, string failure);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Redis at {Address} is reachable again: chat connections are accepted and live feeds resume from their last id")]
    public static partial void Reachable(ILogger logger, string address);

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "Chat backplane: Redis at {Address}")]
    public static partial void Using(ILogger logger, string address);

    [LoggerMessage(EventId = 123, Level = LogLevel.Error, Message = "The log of room '{Room}' in Redis was reset (a new epoch, or its newest id {Newest} below {Delivered}, already delivered): Redis lost its data, or restarted without having synced its last writes; the room's members here are closed and resume with a reset gap")]
    public static partial void RoomReset(ILogger logger, string room, long newest, long delivered);

    [LoggerMessage(EventId = 124, Level = LogLevel.Warning, Message = "Redis at {Address} did not answer a PING within {Deadline}: counted unavailable (new chat connections get 503, messages are refused) until it answers")]
    public static partial void NotAnswering(ILogger logger, string address, TimeSpan deadline);

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "This node's presence in Redis ({Node}) was not renewed within {Expiry} and another node claimed it: its members may have been announced gone, so they are closed to join again; the node goes on as {NewNode}")]
    public static partial void PresenceExpired(ILogger logger, string node, TimeSpan expiry, string newNode);

    [LoggerMessage(EventId = 126, Level = LogLevel.Information, Message = "Chat node {Node} stopped renewing its presence: {Leaves} of its members taken off in {Rooms} rooms, each with a leave")]
    public static partial void NodeExpired(ILogger logger, string node, int leaves, int rooms);

    [LoggerMessage(EventId = 127, Level = LogLevel.Error, Message = "The chat's presence heartbeat failed")]
    public static partial void PresenceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 128, Level = LogLevel.Warning, Message = "Redis at {Address} keeps no append-only file (appendonly {AppendOnly}): if it restarts, the rooms' logs start again (their history is lost, acknowledged messages with it) and members resume with a reset gap. For rooms that outlive a Redis restart, run Redis with appendonly yes and appendfsync always (docs/backplane.md#durability)")]
    public static partial void NoAppendOnlyFile(ILogger logger, string address, string appendOnly);

    [LoggerMessage(EventId = 129, Level = LogLevel.Warning, Message = "Redis at {Address} syncs its append-only file with appendfsync {Fsync}, after answering: a restart can lose the last acknowledged messages and nobody can tell which, so after a restart each room's log starts again (its history is dropped) and members resume with a reset gap. For rooms that outlive a Redis restart, set appendfsync always (docs/backplane.md#durability)")]
    public static partial void AppendOnlyFileSyncedLater(ILogger logger, string address, string fsync);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Redis at {Address} writes and syncs every change to its append-only file before answering (appendonly yes, appendfsync always): acknowledged messages survive a Redis restart")]
    public static partial void Durable(ILogger logger, string address);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Could not read the persistence settings of Redis at {Address} ({Failure}): HostKit cannot tell whether acknowledged messages survive a Redis restart, so after one each room's log starts again; they survive only with appendonly yes and appendfsync always (docs/backplane.md#durability)")]
    public static partial void DurabilityUnknown(ILogger logger, string address, string failure);
}
