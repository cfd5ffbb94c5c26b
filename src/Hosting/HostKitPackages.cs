namespace HostKit.Hosting;

/// <summary>Which package brings each of HostKit's own hosts, so that a missing one is named in the error.</summary>
internal static class HostKitPackages
{
    private static readonly Dictionary<string, string> ByHost = new(StringComparer.OrdinalIgnoreCase)
    {
        ["kestrel"] = "HostKit.Hosts.Kestrel",
        ["raw"] = "HostKit.Hosts.Raw",
        ["httplistener"] = "HostKit.Hosts.HttpListener",
        ["kestrel-transport"] = "HostKit.Hosts.KestrelTransport",
        ["uring"] = "HostKit.Hosts.Uring",
    };

    /// <summary>The package that provides host <paramref name="name"/>, or null for a name HostKit does not ship.</summary>
    public static string? For(string name) => ByHost.GetValueOrDefault(name);
}
