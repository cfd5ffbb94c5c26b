namespace HostKit.Fuzz;

/// <summary>What the simulated application does with a request body.</summary>
internal enum BodyMode
{
    /// <summary>It reads the whole body (<see cref="HostKit.Hosts.Protocol.Http1Protocol.ReadBody"/>), then answers.</summary>
    Read,

    /// <summary>It answers without reading; the host drains the body (<see cref="HostKit.Hosts.Protocol.Http1Protocol.Drain"/>) to reach the next request.</summary>
    Drain,
}
