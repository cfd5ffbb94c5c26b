using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// How many connections a server holds open at once, decided once for every host: <see cref="HttpLimits.MaxConcurrentConnections"/>
/// when it is set, otherwise what the process's descriptors allow (<see cref="DescriptorBudget.Connections"/>), so that the
/// process refuses connections before it runs out of descriptors rather than dying of it. Hosts log it at start.
/// </summary>
public sealed class ConnectionLimit
{
    private ConnectionLimit(long? value, string description) => (Value, Description) = (value, description);

    /// <summary>The most connections open at once; null for none (set to none, and no descriptor limit to read).</summary>
    public long? Value { get; }

    /// <summary>Where <see cref="Value"/> comes from, for the start line.</summary>
    public string Description { get; }

    /// <summary>The limit for <paramref name="limits"/> in a process whose descriptors are <paramref name="descriptors"/> (null: unknown).</summary>
    public static ConnectionLimit For(HttpLimits limits, DescriptorBudget? descriptors)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var budget = descriptors is null ? string.Empty : $"descriptor limit {descriptors.Limit}, {descriptors.OpenAtStart} open at start, {descriptors.Reserve} kept for the runtime, logs and Redis";
        if (limits.MaxConcurrentConnections is { } set)
        {
            var over = descriptors is not null && set > descriptors.Connections ? $"; over the {descriptors.Connections} the descriptors allow ({budget})" : string.Empty;
            return new ConnectionLimit(set, $"at most {set} connections (HostKit:Limits:MaxConcurrentConnections{over})");
        }
        return descriptors is null
            ? new ConnectionLimit(null, "no connection limit (no descriptor limit to read)")
            : new ConnectionLimit(descriptors.Connections, $"at most {descriptors.Connections} connections ({budget})");
    }

    /// <summary>True when a connection may open while <paramref name="open"/> others are: false means refuse it (<see cref="RequestRejection.TooManyConnections"/>).</summary>
    public bool Admits(long open) => Value is not { } max || open < max;

    /// <inheritdoc />
    public override string ToString() => Description;
}
