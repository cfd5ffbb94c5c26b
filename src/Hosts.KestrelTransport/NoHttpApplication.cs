using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.KestrelTransport;

// What KestrelServer must be started with. Kestrel puts its HTTP layer behind each endpoint's connection middleware, and
// HttpConnectionHandler never passes a connection on: no request reaches this.
internal sealed class NoHttpApplication : IHttpApplication<IFeatureCollection>
{
    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public Task ProcessRequestAsync(IFeatureCollection context) => Task.CompletedTask;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }
}
