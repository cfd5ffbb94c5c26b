namespace HostKit.Fuzz;

/// <summary>
/// <c>head</c>: the input is what a client sends on one connection (one head, pipelined requests, bodies,
/// garbage), played through <see cref="HostKit.Hosts.Protocol.Http1Protocol.ReadHead"/> and the rest of the
/// protocol as the Raw host's pump does; see <see cref="ConnectionOracle"/> and <see cref="HeadInvariants"/>.
/// </summary>
internal sealed class HeadTarget : IFuzzTarget
{
    public string Name => "head";

    public string Description => "request heads (and what follows them on the connection) through Http1Protocol.ReadHead";

    public void Run(ReadOnlySpan<byte> input) => ConnectionOracle.Run(ConnectionOracle.Cut(input));
}
