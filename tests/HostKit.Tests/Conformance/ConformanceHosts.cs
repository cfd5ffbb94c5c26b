namespace HostKit.Tests.Conformance;

/// <summary>
/// The hosts the conformance suite runs against: every registered built-in host plus the in-memory
/// host. A case that needs a capability runs only on the hosts that declare it, so a host that lacks
/// one is visibly absent from that case's rows rather than skipped or failing.
/// </summary>
public static class ConformanceHosts
{
    public static HostRegistry Registry { get; } = CreateRegistry();

    public static TheoryData<string> All() => Supporting(HostCapabilities.Http | HostCapabilities.WebSockets);

    public static TheoryData<string> Supporting(HostCapabilities required)
    {
        var data = new TheoryData<string>();
        foreach (var host in Registry.Hosts.Where(h => (h.Capabilities & required) == required))
            data.Add(host.Name);
        return data;
    }

    private static HostRegistry CreateRegistry() => HostKit.Hosting.BuiltInHosts.Create().Add(new HostKit.Testing.InMemoryHost());
}
