using System.Net;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Engines.KestrelH2c;

/// <summary>Kestrel's transport with the <see cref="HandOffEndPoint"/> bound to its own listener, and every other endpoint to <paramref name="inner"/>.</summary>
internal sealed class HandOffTransportFactory(IConnectionListenerFactory inner) : IConnectionListenerFactory
{
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is HandOffEndPoint handOff ? ValueTask.FromResult<IConnectionListener>(handOff.Listener) : inner.BindAsync(endpoint, cancellationToken);
}
