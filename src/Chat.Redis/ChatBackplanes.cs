using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;

namespace HostKit.Chat.Redis;

/// <summary>Creates the backplane that <see cref="ChatOptions.Backplane"/> names, so an application needs one line for either kind.</summary>
public static class ChatBackplanes
{
    /// <summary>
    /// An <see cref="InMemoryChatBackplane"/> when <see cref="ChatOptions.Backplane"/> is empty or <c>memory</c>;
    /// a <see cref="RedisChatBackplane"/> for <c>redis://HOST:PORT</c>, keeping <see cref="ChatOptions.HistoryLimit"/> events per room
    /// and counting Redis unavailable when a PING takes longer than <see cref="ChatOptions.BackplaneDeadline"/>.
    /// </summary>
    /// <remarks>Connecting returns even while Redis cannot be reached: the node starts, answers 503 to chat connections, and recovers by itself.</remarks>
    /// <exception cref="FormatException">Any other value; the message names the key and the accepted forms.</exception>
    public static IChatBackplane Create(ChatOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsInProcess)
            return new InMemoryChatBackplane(options.HistoryLimit);
        if (!RedisAddress.IsRedis(options.Backplane))
            throw new FormatException($"{ChatOptions.SectionName}:Backplane = '{options.Backplane}' is not a backplane: leave it empty (rooms in this process) or write redis://HOST:PORT.");
        return RedisChatBackplane.Connect(new RedisChatBackplaneOptions
        {
            Address = options.Backplane!.Trim(),
            HistoryLimit = options.HistoryLimit,
            PingDeadline = options.BackplaneDeadline,
            NodeHeartbeatInterval = options.NodeHeartbeatInterval,
            NodeExpiry = options.NodeExpiry,
        }, loggerFactory);
    }
}
