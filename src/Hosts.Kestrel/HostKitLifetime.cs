using Microsoft.Extensions.Hosting;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// Replaces the generic host's console lifetime: HostKit's runner owns Ctrl+C and SIGTERM, and must
/// close websockets with 1001 before Kestrel stops, so ASP.NET Core must not react to signals itself.
/// </summary>
internal sealed class HostKitLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
