namespace HostKit.Hosts.Raw.Connection;

/// <summary>
/// A connection of the Raw server, as its connection set and heartbeat see it: an HTTP one (<see cref="HttpConnection"/>),
/// or a websocket that took its place (<see cref="WebSocketConnection"/>). The heartbeat visits each; the type says what it may ask.
/// </summary>
internal interface IRawConnection : IHostConnection
{
    /// <summary>Called by the server's heartbeat with the time (<see cref="Environment.TickCount64"/>): a connection past its deadline wakes its read.</summary>
    void OnHeartbeat(long now);
}
