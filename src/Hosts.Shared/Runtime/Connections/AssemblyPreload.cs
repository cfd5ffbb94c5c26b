using System.Reflection;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// Loads, at start, the assemblies that a host's request path references, before the host counts its descriptors. Each
/// loaded assembly holds a file descriptor or two, and .NET remembers a failed load for the life of the process: an
/// assembly first needed while the process is out of descriptors fails to load with a <see cref="FileNotFoundException"/>,
/// and every later use fails the same way, after the descriptors are free again. Measured on httplistener at
/// <c>ulimit -n 256</c> with 54 idle connections open before the first request: <c>System.Net.WebSockets</c> failed to
/// load during that request, and no request was answered after. Loaded at start, the assemblies are counted in
/// <see cref="DescriptorBudget.OpenAtStart"/> and none is loaded at the limit.
/// </summary>
public static class AssemblyPreload
{
    /// <summary>
    /// Loads what <paramref name="roots"/> reference, one level deep: the engine's and the adapter's own references, not
    /// the whole closure (measured: the closure of the Demo's assemblies is 138 more assemblies, 170 descriptors and
    /// 14 MB of RSS more, where the request path needs five).
    /// </summary>
    public static void References(params Assembly[] roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        foreach (var reference in roots.SelectMany(root => root.GetReferencedAssemblies()))
            TryLoad(reference);
    }

    private static void TryLoad(AssemblyName name)
    {
        try
        {
            Assembly.Load(name);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // A reference that is not deployed (an optional dependency): it would fail later as well.
        }
    }
}
