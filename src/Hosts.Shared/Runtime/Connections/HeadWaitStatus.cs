namespace HostKit.Hosts.Runtime;

/// <summary>Where a connection's wait for a request head stands (<see cref="HeadDeadline"/>).</summary>
public enum HeadWaitStatus
{
    /// <summary>Not waiting for a head: the application runs, a response goes out, or the connection closes. The heartbeat leaves it alone.</summary>
    NotWaiting,

    /// <summary>Waiting for a head, within its deadline.</summary>
    Waiting,

    /// <summary>The heartbeat found the wait past its deadline and woke the read: the head is not served.</summary>
    TimedOut,
}
