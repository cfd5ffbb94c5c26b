using HostKit.Hosts.HttpListener;
using HostKit.Hosts.Kestrel;
using HostKit.Hosts.Raw;

namespace HostKit.Hosting;

/// <summary>The hosts that ship with HostKit. Kestrel is the default.</summary>
public static class BuiltInHosts
{
    /// <summary>The built-in hosts: kestrel (default), raw, httplistener.</summary>
    public static HostRegistry Registry { get; } = Create();

    /// <summary>A fresh registry of the built-in hosts, to which an application can add its own.</summary>
    public static HostRegistry Create() => new(new KestrelHost(), new RawHost(), new HttpListenerHost());
}
