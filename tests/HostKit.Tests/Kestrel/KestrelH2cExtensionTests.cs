using System.Net;
using System.Text;
using HostKit.Engines.KestrelH2c;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HostKit.Tests.Kestrel;

/// <summary>
/// The h2c extension (src/Engines.KestrelH2c) on a bare <see cref="KestrelServer"/>, no HostKit in the way: wired as its
/// README says, one port answers an HTTP/1.1 client over HTTP/1.1 and a prior-knowledge client over HTTP/2.
/// </summary>
public class KestrelH2cExtensionTests
{
    [Fact]
    public async Task A_bare_KestrelServer_with_the_extension_serves_HTTP_1_1_and_h2c_on_one_port()
    {
        var h2c = new H2cPriorKnowledge(TimeSpan.FromSeconds(10));
        var options = new KestrelServerOptions();
        options.Listen(IPAddress.Loopback, 0, h2c.Use);
        h2c.Serve(options);
        var sockets = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        using var server = new KestrelServer(Options.Create(options), h2c.Transport(sockets), NullLoggerFactory.Instance);
        await server.StartAsync(new ProtocolEcho(), CancellationToken.None);
        try
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()!.Addresses;
            var address = new Uri(Assert.Single(addresses, a => !H2cPriorKnowledge.IsHandOff(a)));
            Assert.Contains(addresses, H2cPriorKnowledge.IsHandOff);

            using var http1 = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal("HTTP/1.1", await http1.GetStringAsync("/"));
            using var http2 = HostKit.Conformance.Support.Http2Clients.Http(address);
            using var answer = await http2.GetAsync("/");
            Assert.Equal((System.Net.HttpVersion.Version20, "HTTP/2"), (answer.Version, await answer.Content.ReadAsStringAsync()));
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Answers every request with the protocol it came over.</summary>
    private sealed class ProtocolEcho : IHttpApplication<IFeatureCollection>
    {
        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }

        public async Task ProcessRequestAsync(IFeatureCollection context)
        {
            var protocol = context.GetRequiredFeature<IHttpRequestFeature>().Protocol;
            await context.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(Encoding.ASCII.GetBytes(protocol));
        }
    }
}
