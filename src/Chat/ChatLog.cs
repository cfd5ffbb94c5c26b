using Microsoft.Extensions.Logging;

namespace HostKit.Chat;

/// <summary>The chat's log lines, defined once (event ids from 100, clear of the hosts' own).</summary>
internal static partial class ChatLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Chat member '{Name}' in room '{Room}' could not keep up (send buffer full); closed with 1013")]
    public static partial void MemberTooSlow(ILogger logger, string room, string name);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Chat member '{Name}' in room '{Room}' kept sending more than {Limit} messages per second; closed with 1008, {NotStored} of its messages not stored")]
    public static partial void MemberOverRate(ILogger logger, string room, string name, int limit, int notStored);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "The chat backplane failed for room '{Room}'; its members were closed with 1011")]
    public static partial void BackplaneFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "An event of room '{Room}' could not be stored: {Reason}")]
    public static partial void EventNotStored(ILogger logger, string room, string reason);
}
