using System.Net;
using System.Net.WebSockets;
using HostKit.Conformance.Support;
using HostKit.Hosts;
using HostKit.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HostKit.Conformance;

/// <summary>
/// One host serving the conformance app (or another app under test) on 127.0.0.1, port 0, with its log captured.
/// Gives the test an HttpClient, websocket connections, and raw TCP connections.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly HttpClient _http;
    private readonly ConformanceApp? _app;

    private ServerUnderTest(IServerHost host, IRunningServer server, ConformanceApp? app, CapturingLoggerProvider log, ILoggerFactory loggerFactory)
    {
        Host = host;
        Server = server;
        _app = app;
        Log = log;
        _loggerFactory = loggerFactory;
        _http = CreateHttpClient();
    }

    public IServerHost Host { get; }

    public IRunningServer Server { get; }

    public ConformanceApp App => _app ?? throw new InvalidOperationException("This server runs another application than ConformanceApp.");

    public CapturingLoggerProvider Log { get; }

    public Uri Address => Server.Addresses[0];

    public HttpClient Http => _http;

    public static async Task<ServerUnderTest> StartAsync(string hostName, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var app = new ConformanceApp();
        return await StartAsync(hostName, _ => app.Create(), configure, app);
    }

    /// <summary>Serves the application <paramref name="create"/> makes, given the server's logger factory (for apps that log, like the chat).</summary>
    public static Task<ServerUnderTest> StartAsync(string hostName, Func<ILoggerFactory, Application> create, Func<ServerOptions, ServerOptions>? configure = null) =>
        StartAsync(hostName, create, configure, null);

    private static async Task<ServerUnderTest> StartAsync(string hostName, Func<ILoggerFactory, Application> create, Func<ServerOptions, ServerOptions>? configure, ConformanceApp? app)
    {
        var host = ConformanceHosts.Resolve(hostName);
        var log = new CapturingLoggerProvider();
        // Debug, to see the host kit's debug lines (a client that went away, a refused request); the engines' own chatter is left out.
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug).AddFilter("Microsoft", LogLevel.Information));
        var options = new ServerOptions { Urls = [new Uri("http://127.0.0.1:0")], LoggerFactory = loggerFactory, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        options = configure?.Invoke(options) ?? options;
        var server = await host.StartAsync(create(loggerFactory), options).WaitAsync(TimeSpan.FromSeconds(30));
        return new ServerUnderTest(host, server, app, log, loggerFactory);
    }

    private HttpClient CreateHttpClient() => Server switch
    {
        InMemoryServer memory => new(memory.Client.CreateHandler()) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) },
        _ when ListenAddress.IsUnixSocket(Address) => UnixSocketClient.Http(ListenAddress.UnixSocketPath(Address)),
        _ => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) },
    };

    /// <summary>Opens a websocket to <paramref name="path"/>; the status the server answered when it refused.</summary>
    public async Task<(WebSocket? Socket, HttpStatusCode Status)> TryConnectWebSocketAsync(string path, params string[] subProtocols)
    {
        if (Server is InMemoryServer memory)
        {
            try
            {
                return (await memory.Client.ConnectWebSocketAsync(path, subProtocols).WaitAsync(TimeSpan.FromSeconds(15)), HttpStatusCode.SwitchingProtocols);
            }
            catch (WebSocketUpgradeRefusedException refused)
            {
                return (null, (HttpStatusCode)refused.Status);
            }
        }

        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var protocol in subProtocols)
            socket.Options.AddSubProtocol(protocol);
        // Resolved rather than set as UriBuilder.Path, which would escape a query's '?'.
        var uri = new Uri(new UriBuilder(Address) { Scheme = "ws" }.Uri, path);
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
            return (socket, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
    }

    public async Task<WebSocket> ConnectWebSocketAsync(string path, params string[] subProtocols)
    {
        var (socket, status) = await TryConnectWebSocketAsync(path, subProtocols);
        return socket ?? throw new Xunit.Sdk.XunitException($"The websocket upgrade to {path} was refused with {(int)status}.");
    }

    public Task<LoopbackConnection> OpenConnectionAsync() => LoopbackConnection.OpenAsync(Address);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
        _loggerFactory.Dispose();
        WriteLogToTestOutput();
    }

    /// <summary>
    /// The server's log into the test's output, which test runners show for a failed test: a case that fails once in a
    /// thousand runs on a loaded machine then says what the server saw (a send that failed, a limit, an abort).
    /// </summary>
    private void WriteLogToTestOutput()
    {
        if (TestContext.Current.TestOutputHelper is not { } output || Log.Entries.Count == 0)
            return;
        output.WriteLine($"The {Host.Name} server's log:");
        foreach (var entry in Log.Entries)
            output.WriteLine($"  {entry.Level} {entry.Category}[{entry.EventId.Id}] {entry.Message}{(entry.Exception is null ? "" : Environment.NewLine + entry.Exception)}");
    }
}
