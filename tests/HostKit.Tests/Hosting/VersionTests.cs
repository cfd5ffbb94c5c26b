using System.Reflection;
using HostKit.Hosting;
using HostKit.Tests.Support;

namespace HostKit.Tests.Hosting;

/// <summary><c>--version</c> says the application's version and HostKit's, as packed from the git tags (MinVer), not 1.0.0.</summary>
public sealed class VersionTests
{
    [Fact]
    public async Task The_demo_prints_its_version_and_hostkits_which_are_the_packages_version()
    {
        var hostKit = typeof(HostRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        Assert.NotEqual("1.0.0", hostKit);
        var (code, output) = await DemoProcess.RunToEndAsync("--version");
        Assert.Equal(0, code);
        Assert.Equal($"HostKit.Demo {hostKit} (HostKit {hostKit})", output.Trim());
    }
}
