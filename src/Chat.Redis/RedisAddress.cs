using System.Globalization;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>
/// <c>redis://[:PASSWORD@]HOST[:PORT][/DB]</c>, the form <c>--backplane</c> takes, as StackExchange.Redis settings that
/// suit a chat: connect in the background and keep reconnecting (a node starts and stays up while Redis is down),
/// and fail a command at once while disconnected instead of queueing it (the sender is told at once).
/// </summary>
public static class RedisAddress
{
    /// <summary>The scheme of a Redis backplane address.</summary>
    public const string Scheme = "redis";

    /// <summary>True when <paramref name="address"/> names a Redis server (starts with <c>redis://</c>).</summary>
    public static bool IsRedis(string? address) =>
        address is not null && address.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="address"/> into connection settings.</summary>
    /// <exception cref="FormatException">Not a <c>redis://HOST:PORT</c> address; the message shows the form.</exception>
    public static ConfigurationOptions Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IsRedis(address) || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"'{address}' is not a Redis address: write redis://HOST:PORT, for example redis://127.0.0.1:6379.");
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = 2000,
            // Back in well under a second once Redis answers again, but never faster than every 250 ms while it does not.
            ReconnectRetryPolicy = new ExponentialRetry(250, 2000),
            ClientName = "hostkit-chat",
        };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port);
        if (uri.UserInfo.Split(':', 2) is [var user, var password])
        {
            options.User = user.Length > 0 ? Uri.UnescapeDataString(user) : null;
            options.Password = Uri.UnescapeDataString(password);
        }
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.DefaultDatabase = int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var database)
                ? database
                : throw new FormatException($"'{address}': the path must be a database number, as in redis://HOST:PORT/0.");
        }
        return options;
    }
}
