using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// A host: one server engine adapted to the HostKit contract. Registered by name in a
/// <see cref="HostRegistry"/>; the conformance suite runs every case against every registered host.
/// </summary>
public interface IServerHost
{
    /// <summary>The name used with <c>--host</c>, lower case, e.g. <c>raw</c>.</summary>
    string Name { get; }

    /// <summary>One line on the engine behind it, e.g. "ASP.NET Core Kestrel".</summary>
    string Engine { get; }

    /// <summary>What this host supports.</summary>
    HostCapabilities Capabilities { get; }

    /// <summary>
    /// Starts serving <paramref name="application"/> on <see cref="ServerOptions.Urls"/> and returns
    /// once it accepts connections. Port 0 is honoured: the running server reports the bound port.
    /// </summary>
    /// <exception cref="HostStartException">The address cannot be used (taken, malformed, not supported by this engine).</exception>
    Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default);
}
