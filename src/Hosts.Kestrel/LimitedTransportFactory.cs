using System.Net;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.Kestrel;

/// <summary>Kestrel's socket transport, with each listener wrapped in a <see cref="LimitedConnectionListener"/>.</summary>
internal sealed class LimitedTransportFactory(IConnectionListenerFactory inner, ConnectionCounter counter, HostRuntime runtime) : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new LimitedConnectionListener(await inner.BindAsync(endpoint, cancellationToken), counter, runtime);
}
