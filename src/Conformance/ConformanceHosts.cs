using HostKit.Hosts;
using HostKit.Testing;

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

    /// <summary>
    /// The host a test names. A test written for one engine (<c>"httplistener"</c> behind nginx) is skipped, with the
    /// reason, when <see cref="OnlyVariable"/> chooses another; the in-memory host is a test tool, not an engine under
    /// test, and always serves. A name that is no host at all still fails.
    /// </summary>
    public static IServerHost Resolve(string hostName)
    {
        if (SkipReason(All, Environment.GetEnvironmentVariable(OnlyVariable), hostName) is { } reason)
            Assert.Skip(reason);
        return All.Get(hostName);
    }

    /// <summary>Why a test for <paramref name="hostName"/> does not run when <paramref name="only"/> narrows the suite; null when it runs.</summary>
    internal static string? SkipReason(HostRegistry all, string? only, string hostName)
    {
        var host = all.Get(hostName);
        if (only is not { Length: > 0 } || host is InMemoryHost || string.Equals(host.Name, all.Get(only).Name, StringComparison.OrdinalIgnoreCase))
            return null;
        return $"{OnlyVariable}={only} narrows the suite to that host; this test is for '{host.Name}'.";
    }

    private static HostRegistry CreateRegistry()
    {
        if (Environment.GetEnvironmentVariable(OnlyVariable) is not { Length: > 0 } only)
            return All;
        // Get throws for a name that is not a host, so a typo cannot turn the suite into zero rows.
        return new HostRegistry(All.Get(only));
    }
}
