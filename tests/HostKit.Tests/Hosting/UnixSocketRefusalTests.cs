namespace HostKit.Tests.Hosting;

/// <summary>
/// A host that does not declare <see cref="HostCapabilities.UnixSockets"/> refuses a <c>unix:</c> address at start with one
/// clear line that names it and the hosts that can, even when started without the runner (whose own check comes first).
/// </summary>
public class UnixSocketRefusalTests
{
    public static TheoryData<string> HostsWithoutUnixSockets =>
        [.. ConformanceHosts.All.Hosts.Where(h => h.Capabilities.HasFlag(HostCapabilities.Network) && !h.Capabilities.HasFlag(HostCapabilities.UnixSockets)).Select(h => h.Name)];

    [Theory, MemberData(nameof(HostsWithoutUnixSockets))]
    public async Task A_unix_address_is_refused_at_start_naming_the_hosts_that_can(string host)
    {
        var url = ListenAddress.UnixSocket(UnixSocketClient.NewPath());
        var refused = await Assert.ThrowsAsync<HostStartException>(() =>
            ConformanceHosts.All.Get(host).StartAsync((_, _) => ValueTask.FromResult(Body.Empty), new ServerOptions { Urls = [url] }));
        Assert.StartsWith($"The {host} host cannot listen on {url}: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Choose kestrel, raw", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ListenAddress.UnixSocketPath(url)));
    }
}
