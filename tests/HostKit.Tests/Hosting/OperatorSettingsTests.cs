using HostKit.Hosting;
using HostKit.Hosts;

namespace HostKit.Tests.Hosting;

/// <summary>The settings an operator puts a server on the internet with: trusted proxies, the access log, TLS.</summary>
public sealed class OperatorSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-operator-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private HostKitSettings Load(string[] args, Dictionary<string, string>? environment = null)
    {
        var parsed = HostKitCommandLine.Parse(args, "test");
        Assert.Empty(parsed.Errors);
        return HostKitSettings.From(HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed), environment ?? [], _directory));
    }

    [Fact]
    public void Forwarded_allow_ips_defaults_to_loopback_and_is_read_from_every_layer()
    {
        Assert.Equal("127.0.0.1", Load([]).ForwardedAllowIps.Text);
        Assert.Equal("10.0.0.0/8, 127.0.0.1", Load(["--forwarded-allow-ips", "10.0.0.0/8,127.0.0.1"]).ForwardedAllowIps.Text);
        Assert.Equal("*", Load([], new() { ["HOSTKIT_FORWARDEDALLOWIPS"] = "*" }).ForwardedAllowIps.Text);
        Assert.True(Load(["--forwarded-allow-ips", ""]).ForwardedAllowIps.IsEmpty);
        var refused = Assert.Throws<HostStartException>(() => Load(["--forwarded-allow-ips", "10.0.0.0/33"]));
        Assert.Contains("--forwarded-allow-ips (HostKit:ForwardedAllowIps) = '10.0.0.0/33' is not valid", refused.Message);
    }

    [Fact]
    public void The_access_log_is_off_by_default_and_no_access_log_wins()
    {
        Assert.Null(Load([]).AccessLog);
        Assert.Equal(AccessLogFormat.Combined, Load(["--access-log"]).AccessLog);
        Assert.Equal(AccessLogFormat.Json, Load(["--access-log-format", "json"]).AccessLog);
        Assert.Equal(AccessLogFormat.Json, Load([], new() { ["HOSTKIT_ACCESSLOG"] = "true", ["HOSTKIT_ACCESSLOGFORMAT"] = "JSON" }).AccessLog);
        Assert.Null(Load(["--access-log", "--no-access-log"], new() { ["HOSTKIT_ACCESSLOG"] = "true" }).AccessLog);
        var refused = Assert.Throws<HostStartException>(() => Load(["--access-log-format", "apache"]));
        Assert.Contains("'combined' or 'json'", refused.Message);
    }
}
