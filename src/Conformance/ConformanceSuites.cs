using System.Reflection;
using HostKit.Hosts;

namespace HostKit.Conformance;

/// <summary>Finds the <see cref="ConformanceSuite"/> classes a test project wrote, and the hosts they name.</summary>
internal static class ConformanceSuites
{
    private static readonly string PackageAssembly = typeof(ConformanceSuite).Assembly.GetName().Name!;

    /// <summary>The hosts named by the suites in the loaded assemblies that reference this package (the test project).</summary>
    public static HostRegistry Discover() => Discover(AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => !a.IsDynamic && a.GetReferencedAssemblies().Any(r => r.Name == PackageAssembly)));

    /// <summary>The hosts named by the suites in <paramref name="assemblies"/>, in the order the suites list them.</summary>
    /// <exception cref="InvalidOperationException">No suite, or one that cannot be created, or two hosts of one name: the message says what to write.</exception>
    public static HostRegistry Discover(IEnumerable<Assembly> assemblies)
    {
        var suites = assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsSubclassOf(typeof(ConformanceSuite)) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        if (suites.Count == 0)
        {
            throw new InvalidOperationException(
                "No class names the hosts the conformance suite runs on. Add one to the test project: " +
                "public sealed class MyHostConformance() : HostKit.Conformance.ConformanceSuite(new MyHost()); (docs/hosts.md).");
        }
        var registry = new HostRegistry();
        foreach (var suite in suites)
        {
            foreach (var host in Create(suite).Hosts)
            {
                if (registry.Find(host.Name) is not null)
                    throw new InvalidOperationException($"Two conformance suites name a host called '{host.Name}' ({suite.FullName} is the second): name each host once.");
                registry.Add(host);
            }
        }
        return registry;
    }

    private static ConformanceSuite Create(Type suite)
    {
        try
        {
            return (ConformanceSuite)Activator.CreateInstance(suite)!;
        }
        catch (Exception ex) when (ex is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            throw new InvalidOperationException($"The conformance suite {suite.FullName} could not be created: it needs a public parameterless constructor. {ex.Message}", ex);
        }
    }
}
