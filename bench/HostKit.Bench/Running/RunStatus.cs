namespace HostKit.Bench.Running;

/// <summary>Why a row has figures or not. Every server x workload gets a record: never a silent gap.</summary>
internal enum RunStatus
{
    /// <summary>Measured.</summary>
    Ok,

    /// <summary>Tried and failed (the server did not start, the load tool timed out...): the note says how.</summary>
    Failed,

    /// <summary>The server declares it cannot serve what the workload needs (HttpListener: no pipelining).</summary>
    Unsupported,

    /// <summary>The route is not in this build (the chat before it lands).</summary>
    Unavailable,

    /// <summary>The stack or a tool is not installed on this machine.</summary>
    NotInstalled,
}
