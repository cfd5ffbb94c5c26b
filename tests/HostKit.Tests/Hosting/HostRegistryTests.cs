using HostKit.Hosting;
using HostKit.Hosts;
using Spectre.Console.Testing;

namespace HostKit.Tests.Hosting;

public class HostRegistryTests
{
    private static HostRegistry Discovered => HostDiscovery.Registry;

    [Fact]
    public void Discovery_finds_every_host_package_the_application_references_sorted_by_order()
    {
        // An independent oracle: every assembly next to the tests that declares a host (the test project
        // references the host packages, so they are all copied here).
        var declared = Directory.GetFiles(AppContext.BaseDirectory, "HostKit.*.dll")
            .Select(path => System.Reflection.Assembly.LoadFrom(path))
            .SelectMany(a => a.GetCustomAttributes(typeof(ServerHostAttribute), false).Cast<ServerHostAttribute>())
            .OrderBy(a => a.Order).ThenBy(a => ((IServerHost)Activator.CreateInstance(a.HostType)!).Name, StringComparer.OrdinalIgnoreCase)
            .Select(a => a.HostType)
            .ToList();
        Assert.NotEmpty(declared);
        Assert.Equal(declared, Discovered.Hosts.Select(h => h.GetType()));
    }

    [Fact]
    public void The_default_host_is_kestrel_when_it_is_referenced()
    {
        Assert.IsType<HostKit.Hosts.Kestrel.KestrelHost>(Discovered.Default);
    }

    [Fact]
    public void A_hostkit_host_that_is_not_referenced_is_named_with_its_package()
    {
        var withoutKestrel = new HostRegistry(Discovered.Hosts.Where(h => h is not HostKit.Hosts.Kestrel.KestrelHost));
        var error = Assert.Throws<HostStartException>(() => RunSettings.Choose(withoutKestrel, "kestrel"));
        Assert.Contains("comes with the HostKit.Hosts.Kestrel package", error.Message, StringComparison.Ordinal);
        Assert.Contains("No host is installed", Assert.Throws<HostStartException>(() => RunSettings.Choose(new HostRegistry(), null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_host_lists_the_known_ones()
    {
        var error = Assert.Throws<HostStartException>(() => Discovered.Get("nginx"));
        Assert.Equal($"Unknown host 'nginx'. Known hosts: {string.Join(", ", Discovered.Hosts.Select(h => h.Name))}.", error.Message);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("localhost")]
    [InlineData("http://127.0.0.1:8000")]
    public void A_host_name_that_looks_like_an_address_hints_at_urls(string name)
    {
        var error = Assert.Throws<HostStartException>(() => Discovered.Get(name));
        Assert.Contains("--urls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_table_shows_every_host_and_its_capabilities()
    {
        var console = new TestConsole().Width(200);
        HostTable.Write(console, Discovered.Hosts);
        var lines = console.Output.Split('\n');
        foreach (var host in Discovered.Hosts)
        {
            var row = Assert.Single(lines, l => l.StartsWith($"| {host.Name} ", StringComparison.Ordinal));
            Assert.Equal(host.Capabilities.HasFlag(HostCapabilities.WebSockets), row.Split('|')[4].Trim() == "yes");
        }
    }

    [Fact]
    public void The_host_table_tells_to_put_a_host_without_strict_parsing_behind_a_reverse_proxy()
    {
        var console = new TestConsole().Width(200);
        HostTable.Write(console, Discovered.Hosts);
        var warnings = console.Output.Split('\n').Where(l => l.Contains("reverse proxy", StringComparison.Ordinal)).ToList();
        Assert.Contains(warnings, l => l.StartsWith("httplistener: ", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, l => l.StartsWith("raw: ", StringComparison.Ordinal) || l.StartsWith("kestrel: ", StringComparison.Ordinal));
    }
}
