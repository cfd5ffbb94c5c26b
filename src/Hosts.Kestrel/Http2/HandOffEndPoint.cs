using System.Net;

namespace HostKit.Hosts.Kestrel.Http2;

/// <summary>
/// The address of Kestrel's HTTP/2-only endpoint for h2c: no socket, only the connections <see cref="H2cPriorKnowledge"/>
/// hands over through <see cref="Listener"/>. Kestrel lists it among its addresses as <c>http://</c><see cref="Name"/>; the host leaves it out.
/// </summary>
internal sealed class HandOffEndPoint(HandOffListener listener) : EndPoint
{
    /// <summary>What Kestrel calls this endpoint in its address list.</summary>
    public const string Name = "hostkit-h2c-handoff";

    public HandOffListener Listener => listener;

    public override string ToString() => Name;
}
