namespace HostKit.Hosts.Runtime;

/// <summary>Where a host's connection takes response body bytes: its socket, its engine's body writer.</summary>
/// <remarks>Implemented once per connection (not per request), so writing a body allocates nothing.</remarks>
public interface IBodySink
{
    /// <summary>Sends <paramref name="bytes"/> as body bytes (the sink adds chunk framing if the plan says so).</summary>
    /// <exception cref="IOException">The connection failed: the client went away.</exception>
    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);
}
