using System.Net;

namespace HostKit.Engines.KestrelH2c;

/// <summary>
/// The address of Kestrel's HTTP/2-only endpoint for h2c: no socket, only the connections <see cref="H2cPriorKnowledge"/>
/// hands over through <see cref="Listener"/>. Kestrel lists it among its addresses as <c>http://</c><see cref="Name"/>; a server leaves it out (<see cref="H2cPriorKnowledge.IsHandOff"/>).
/// </summary>
internal sealed class HandOffEndPoint(HandOffListener listener) : EndPoint
{
    /// <summary>What Kestrel calls this endpoint in its address list.</summary>
    public const string Name = "hostkit-h2c-handoff";

    public HandOffListener Listener => listener;

    public override string ToString() => Name;
}
