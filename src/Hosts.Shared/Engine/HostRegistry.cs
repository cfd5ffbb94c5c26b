using System.Net;

namespace HostKit.Hosts;

/// <summary>
/// The hosts an application can run on, by name. The first one is the default.
/// The conformance suite enumerates a registry, so a host registered here gets every test case.
/// </summary>
public sealed class HostRegistry
{
    private readonly List<IServerHost> _hosts = [];

    /// <summary>Creates a registry of <paramref name="hosts"/>; the first is the default.</summary>
    public HostRegistry(params IEnumerable<IServerHost> hosts)
    {
        foreach (var host in hosts)
            Add(host);
    }

    /// <summary>The registered hosts, default first.</summary>
    public IReadOnlyList<IServerHost> Hosts => _hosts;

    /// <summary>The host used when none is named.</summary>
    public IServerHost Default => _hosts.Count > 0 ? _hosts[0] : throw new InvalidOperationException("No host is registered.");

    /// <summary>Registers a host.</summary>
    /// <exception cref="ArgumentException">A host of that name is already registered.</exception>
    public HostRegistry Add(IServerHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Find(host.Name) is not null)
            throw new ArgumentException($"A host named '{host.Name}' is already registered.", nameof(host));
        _hosts.Add(host);
        return this;
    }

    /// <summary>The host called <paramref name="name"/> (case-insensitive), or null.</summary>
    public IServerHost? Find(string name) =>
        _hosts.Find(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The host called <paramref name="name"/>.</summary>
    /// <exception cref="HostStartException">No such host; the message lists the known ones and hints at <c>--urls</c> when the name looks like an address.</exception>
    public IServerHost Get(string name)
    {
        if (Find(name) is { } host)
            return host;
        var known = string.Join(", ", _hosts.Select(h => h.Name));
        var hint = LooksLikeAddress(name)
            ? $" '{name}' looks like an address: choose where to listen with --urls http://{name}:8000 (or --port)."
            : string.Empty;
        throw new HostStartException($"Unknown host '{name}'. Known hosts: {known}.{hint}");
    }

    private static bool LooksLikeAddress(string name) =>
        IPAddress.TryParse(name, out _) || name.Contains("://", StringComparison.Ordinal) ||
        name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.Contains(':', StringComparison.Ordinal);
}
