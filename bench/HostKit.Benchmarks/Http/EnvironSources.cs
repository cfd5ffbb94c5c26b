using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;
using HostKit.Hosts.HttpListener;
using HostKit.Hosts.Kestrel;
using HostKit.Testing.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HostKit.Benchmarks.Http;

/// <summary>
/// One host's <see cref="Environ"/>, made for the browser request of <see cref="Requests"/> the way that host
/// makes it per request. <see cref="Next"/> is the per-request step; anything the host does once per connection
/// is done in the constructor.
/// </summary>
internal abstract class EnvironSource : IDisposable
{
    /// <summary>The environ of the next request on the connection.</summary>
    public abstract Environ Next();

    public virtual void Dispose()
    {
    }

    public static EnvironSource Create(string host) => host switch
    {
        "raw" => new Http1Source(),
        "kestrel" => new KestrelSource(),
        "httplistener" => new HttpListenerSource(),
        "memory" => new MemorySource(),
        _ => throw new ArgumentOutOfRangeException(nameof(host), host, "No environ source for this host."),
    };

    /// <summary>The browser request with the Host header naming <paramref name="authority"/> (HttpListener routes on it).</summary>
    protected static byte[] BrowserRequestTo(string authority) =>
        System.Text.Encoding.ASCII.GetBytes(Requests.BrowserText.Replace("Host: localhost:8000", $"Host: {authority}", StringComparison.Ordinal));

    /// <summary>
    /// <c>raw</c> and <c>minimal</c>: <see cref="Http1Environ"/>, one per connection over the connection's
    /// <see cref="RequestHead"/>, pointed at each new request with <c>Begin</c>. The head is parsed once here.
    /// </summary>
    private sealed class Http1Source : EnvironSource
    {
        private readonly Http1Environ _environ;

        public Http1Source()
        {
            var protocol = new Http1Protocol(HttpLimits.Default);
            if (protocol.ReadHead(Requests.Browser, out _, out _) != HeadStatus.Complete)
                throw new InvalidOperationException("The benchmark's request head did not parse.");
            _environ = new Http1Environ(protocol.Head, "raw", new IPEndPoint(IPAddress.Loopback, 8000), new IPEndPoint(IPAddress.Loopback, 50000), Stream.Null);
        }

        public override Environ Next()
        {
            _environ.Begin(upgrade: null, CancellationToken.None);
            return _environ;
        }
    }

    /// <summary>
    /// <c>memory</c>: the in-memory host's <see cref="TestEnviron"/>, made new for each request from the
    /// request's (name, value) headers, as its handler makes it from an <c>HttpRequestMessage</c>.
    /// </summary>
    private sealed class MemorySource : EnvironSource
    {
        private static readonly Uri Server = new("http://localhost:8000/json?x=1");

        public override Environ Next() =>
            new TestEnviron("GET", Server, "/json?x=1", Requests.BrowserHeaders, Stream.Null, null, null, CancellationToken.None);
    }

    /// <summary>
    /// <c>kestrel</c>: <see cref="KestrelEnviron"/> needs a live request's feature collection, with Kestrel's own
    /// request header collection, which only Kestrel makes. So a real Kestrel (started as the host starts it)
    /// receives the browser request over loopback and holds it open; each <see cref="Next"/> points the
    /// per-connection environ at it again, as <see cref="KestrelApplication"/> does for each request.
    /// </summary>
    private sealed class KestrelSource : EnvironSource
    {
        private readonly KestrelServer _server;
        private readonly Socket _client;
        private readonly HeldRequest _app = new();
        private readonly KestrelEnviron _environ = new();

        public KestrelSource()
        {
            var options = new KestrelServerOptions { AddServerHeader = false };
            options.Listen(new IPEndPoint(IPAddress.Loopback, 0));
            var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
            _server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
            _server.StartAsync(_app, CancellationToken.None).GetAwaiter().GetResult();
            var address = new Uri(_server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single());
            _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _client.Connect(IPAddress.Loopback, address.Port);
            _client.Send(BrowserRequestTo(address.Authority));
            if (!_app.Arrived.Wait(TimeSpan.FromSeconds(10)))
                throw new TimeoutException("Kestrel did not pass the request on.");
        }

        public override Environ Next()
        {
            _environ.Begin(_app.Features!);
            return _environ;
        }

        public override void Dispose()
        {
            _app.Release.SetResult();
            _client.Dispose();
            _server.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            _server.Dispose();
        }

        private sealed class HeldRequest : IHttpApplication<IFeatureCollection>
        {
            public ManualResetEventSlim Arrived { get; } = new();

            public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public IFeatureCollection? Features { get; private set; }

            public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

            public void DisposeContext(IFeatureCollection context, Exception? exception)
            {
            }

            public Task ProcessRequestAsync(IFeatureCollection context)
            {
                Features = context;
                Arrived.Set();
                return Release.Task;
            }
        }
    }

    /// <summary>
    /// <c>httplistener</c>: <see cref="HttpListenerEnviron"/> wraps a live <see cref="HttpListenerContext"/>, which
    /// only HttpListener makes. So a real listener receives the browser request over loopback and the context is
    /// kept; each <see cref="Next"/> makes a new environ over it, as the host does for each request.
    /// </summary>
    private sealed class HttpListenerSource : EnvironSource
    {
        private readonly System.Net.HttpListener _listener = new();
        private readonly Socket _client;
        private readonly HttpListenerContext _context;

        public HttpListenerSource()
        {
            int port;
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            var context = _listener.GetContextAsync();
            _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _client.Connect(IPAddress.Loopback, port);
            _client.Send(BrowserRequestTo($"127.0.0.1:{port}"));
            if (!context.Wait(TimeSpan.FromSeconds(10)))
                throw new TimeoutException("HttpListener did not pass the request on.");
            _context = context.Result;
        }

        public override Environ Next() => new HttpListenerEnviron(_context, CancellationToken.None, maxBodyBytes: null);

        public override void Dispose()
        {
            _client.Dispose();
            _listener.Abort();
        }
    }
}
