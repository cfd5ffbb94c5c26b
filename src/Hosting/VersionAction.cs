using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace HostKit.Hosting;

/// <summary>
/// <c>--version</c>: the application's version and the HostKit runner's, e.g. <c>MyApp 1.0.0 (HostKit 0.1.0-alpha.0.60)</c>.
/// System.CommandLine's own prints only the application's, which for a new app is 1.0.0 whatever HostKit it runs on.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text(Assembly.GetEntryAssembly(), typeof(HostRunner).Assembly));
        return 0;
    }

    /// <summary>The line <c>--version</c> prints for <paramref name="application"/> run by <paramref name="hostKit"/>.</summary>
    internal static string Text(Assembly? application, Assembly hostKit) =>
        application is null || application == hostKit
            ? $"HostKit {Version(hostKit)}"
            : $"{application.GetName().Name} {Version(application)} (HostKit {Version(hostKit)})";

    /// <summary>The version as packed (MinVer's, from the git tag), without the commit that follows '+'.</summary>
    private static string Version(Assembly assembly) =>
        (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown").Split('+')[0];
}
