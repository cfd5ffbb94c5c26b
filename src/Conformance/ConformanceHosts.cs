using HostKit.Hosts;

namespace HostKit.Conformance;

/// <summary>
/// The hosts the conformance suite runs against: those the test project's <see cref="ConformanceSuite"/> class names
/// (this repository's names every host its tests reference, found the way the runner finds them, plus the in-memory
/// host, so a new host gets every case with no test edited). A case that needs a capability runs only on the hosts
/// that declare it, so a host that lacks one is visibly absent from that case's rows rather than skipped or failing.
/// </summary>
/// <remarks><c>HOSTKIT_HOST=raw dotnet test</c> runs the suite on that one host.</remarks>
public static class ConformanceHosts
{
    /// <summary>The environment variable that narrows the suite to one host, as it chooses the host for the runner.</summary>
    public const string OnlyVariable = "HOSTKIT_HOST";

    /// <summary>Every host the test project's suites name, whatever <see cref="OnlyVariable"/> says. Declared first: static initializers run in order.</summary>
    public static HostRegistry All { get; } = ConformanceSuites.Discover();

    /// <summary>Every host the tests can reach, narrowed by <see cref="OnlyVariable"/>: the registry the rows are made from.</summary>
    public static HostRegistry Registry { get; } = CreateRegistry();

    /// <summary>The rows of a case that needs <paramref name="required"/>: the names of the hosts that declare all of it.</summary>
    public static TheoryData<string> Supporting(HostCapabilities required)
    {
        var data = new TheoryData<string>();
        foreach (var host in Registry.Hosts.Where(h => (h.Capabilities & required) == required))
            data.Add(host.Name);
        return data;
    }

    private static HostRegistry CreateRegistry()
    {
        if (Environment.GetEnvironmentVariable(OnlyVariable) is not { Length: > 0 } only)
            return All;
        // Get throws for a name that is not a host, so a typo cannot turn the suite into zero rows.
        return new HostRegistry(All.Get(only));
    }
}
