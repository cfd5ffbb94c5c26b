using HostKit.Hosts;

namespace HostKit.Conformance;

/// <summary>
/// The hosts a test project runs the conformance suite on. Derive one class from it that names them; the suite finds
/// it and runs every case each host's <see cref="IServerHost.Capabilities"/> select:
/// <code>public sealed class MyHostConformance() : ConformanceSuite(new MyHost());</code>
/// </summary>
/// <remarks>
/// The class needs a public parameterless constructor (the primary constructor above has one). Several such classes in
/// one test project add up; two hosts of the same name are an error.
/// </remarks>
public abstract class ConformanceSuite
{
    /// <summary>Names the hosts to test.</summary>
    /// <param name="hosts">The hosts, in the order their rows are listed.</param>
    protected ConformanceSuite(params IEnumerable<IServerHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        Hosts = [.. hosts];
    }

    /// <summary>The hosts this suite runs on.</summary>
    public IReadOnlyList<IServerHost> Hosts { get; }
}
