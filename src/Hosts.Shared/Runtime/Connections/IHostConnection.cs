namespace HostKit.Hosts.Runtime;

/// <summary>One open connection of a host that owns its sockets, as <see cref="ConnectionSet{TConnection}"/> and <see cref="GracefulStop"/> see it.</summary>
public interface IHostConnection
{
    /// <summary>Completes when the connection has closed (it never faults).</summary>
    Task Completion { get; }

    /// <summary>Finish the current request and close; an idle connection closes at once.</summary>
    void RequestStop();

    /// <summary>Drop the connection now, with a reset.</summary>
    void Abort();

    /// <summary>
    /// Called by the set's heartbeat (<see cref="ConnectionSet{TConnection}"/>, <see cref="HeadDeadline.HeartbeatPeriod"/>) with
    /// <see cref="Environment.TickCount64"/>: a connection past its deadline wakes its read (<see cref="HeadDeadline.OnHeartbeat"/>).
    /// Nothing by default: a connection without deadlines (a websocket, one whose engine keeps the time) ignores it.
    /// </summary>
    void OnHeartbeat(long now)
    {
    }
}
