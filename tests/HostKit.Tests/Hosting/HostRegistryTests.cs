using HostKit.Hosting;
using Spectre.Console.Testing;

namespace HostKit.Tests.Hosting;

public class HostRegistryTests
{
    [Fact]
    public void Built_in_hosts_are_kestrel_first_then_raw_and_httplistener()
    {
        Assert.Equal(["kestrel", "raw", "httplistener"], BuiltInHosts.Registry.Hosts.Select(h => h.Name));
        Assert.Equal("kestrel", BuiltInHosts.Registry.Default.Name);
    }

    [Fact]
    public void An_unknown_host_lists_the_known_ones()
    {
        var error = Assert.Throws<HostStartException>(() => BuiltInHosts.Registry.Get("nginx"));
        Assert.Equal("Unknown host 'nginx'. Known hosts: kestrel, raw, httplistener.", error.Message);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("localhost")]
    [InlineData("http://127.0.0.1:8000")]
    public void A_host_name_that_looks_like_an_address_hints_at_urls(string name)
    {
        var error = Assert.Throws<HostStartException>(() => BuiltInHosts.Registry.Get(name));
        Assert.Contains("--urls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_table_shows_every_host_and_its_capabilities()
    {
        var console = new TestConsole().Width(200);
        HostTable.Write(console, BuiltInHosts.Registry.Hosts);
        var lines = console.Output.Split('\n');
        foreach (var host in BuiltInHosts.Registry.Hosts)
        {
            var row = Assert.Single(lines, l => l.StartsWith($"| {host.Name} ", StringComparison.Ordinal));
            Assert.Equal(host.Capabilities.HasFlag(HostCapabilities.WebSockets), row.Split('|')[4].Trim() == "yes");
        }
    }
}
