using System.Reflection;
using HostKit.Hosts;
using Microsoft.Extensions.DependencyModel;

namespace HostKit.Hosting;

/// <summary>
/// Finds the hosts an application can run on: those declared with <see cref="ServerHostAttribute"/>
/// by the host packages it references. The runner knows no engine itself, so an application that
/// references only <c>HostKit.Hosts.Raw</c> loads no ASP.NET Core.
/// </summary>
public static class HostDiscovery
{
    private const string HostKitAssembly = "HostKit.Hosts.Shared";

    private static readonly Lazy<HostRegistry> Discovered = new(() => Discover());

    /// <summary>The hosts this application references, found once; the first is the default.</summary>
    public static HostRegistry Registry => Discovered.Value;

    /// <summary>
    /// Looks through <paramref name="context"/> (the application's <c>.deps.json</c> when null) for
    /// libraries that depend on the host kit, and creates each host they declare, sorted by
    /// <see cref="ServerHostAttribute.Order"/> then name. Only those libraries are loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">A declared host type is not an <see cref="IServerHost"/> or cannot be created.</exception>
    public static HostRegistry Discover(DependencyContext? context = null)
    {
        var found = new List<(int Order, IServerHost Host)>();
        foreach (var assembly in CandidateAssemblies(context ?? DependencyContext.Default))
        {
            foreach (var declared in assembly.GetCustomAttributes<ServerHostAttribute>())
                found.Add((declared.Order, Create(declared.HostType)));
        }
        return new HostRegistry(found
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Host.Name, StringComparer.OrdinalIgnoreCase)
            .Select(f => f.Host));
    }

    private static IEnumerable<Assembly> CandidateAssemblies(DependencyContext? context)
    {
        if (context is null)
        {
            // No deps.json (a single-file or hand-rolled launch): what is loaded is all we can see.
            return AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetReferencedAssemblies().Any(r => r.Name == HostKitAssembly));
        }
        var assemblies = new HashSet<Assembly>();
        foreach (var library in context.RuntimeLibraries)
        {
            if (!library.Dependencies.Any(d => d.Name == HostKitAssembly))
                continue;
            foreach (var name in library.GetDefaultAssemblyNames(context))
                assemblies.Add(Assembly.Load(name));
        }
        return assemblies;
    }

    private static IServerHost Create(Type type)
    {
        if (!typeof(IServerHost).IsAssignableFrom(type))
            throw new InvalidOperationException($"{type.FullName} is declared with [ServerHost] but does not implement IServerHost.");
        try
        {
            return (IServerHost)Activator.CreateInstance(type)!;
        }
        catch (Exception ex) when (ex is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            throw new InvalidOperationException($"The host {type.FullName} could not be created: it needs a public parameterless constructor. {ex.Message}", ex);
        }
    }
}
