using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosting;

/// <summary>What the runner gives an application that builds itself from settings (see <see cref="HostRunner"/>).</summary>
/// <param name="Configuration">The runner's own configuration: <c>hostkit.json</c>, <c>HOSTKIT_*</c> variables, the command line and its <c>--set KEY=VALUE</c>.</param>
/// <param name="LoggerFactory">Where the host logs; the application can log to the same place.</param>
public sealed record HostRunnerContext(IConfiguration Configuration, ILoggerFactory LoggerFactory)
{
    /// <summary>How many processes serve the application (<c>--workers</c>); 1 without it. State shared between requests must then live outside the process.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>This process's worker number, 1 to <see cref="Workers"/>, under <c>--workers</c>; null for the single server or the supervisor.</summary>
    public int? WorkerId { get; init; }
}
