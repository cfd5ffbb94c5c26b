namespace HostKit.Hosts;

/// <summary>
/// Declares a host that an assembly provides, so that a runner finds it among the packages an
/// application references, the way uvicorn maps a name to an implementation: reference
/// <c>HostKit.Hosts.Raw</c> and <c>--host raw</c> works; reference nothing else and no engine is loaded.
/// </summary>
/// <example><c>[assembly: ServerHost(typeof(RawHost), Order = 10)]</c></example>
/// <param name="hostType">A public class implementing <see cref="IServerHost"/> with a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ServerHostAttribute(Type hostType) : Attribute
{
    /// <summary>The host's class.</summary>
    public Type HostType { get; } = hostType ?? throw new ArgumentNullException(nameof(hostType));

    /// <summary>
    /// Where the host sorts among those found, lowest first; the first is the default host.
    /// HostKit's own: kestrel 0, raw 10, httplistener 20. Default 100, so a new host never displaces them.
    /// </summary>
    public int Order { get; init; } = 100;
}
