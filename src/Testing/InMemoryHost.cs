using HostKit.Hosts;

namespace HostKit.Testing;

/// <summary>
/// The <c>memory</c> host: serves an application without sockets, for tests. Its running server hands
/// out <see cref="TestClient"/>s; the conformance suite runs every case that needs no real socket on it.
/// </summary>
public sealed class InMemoryHost : IServerHost
{
    internal const string HostName = "memory";

    /// <inheritdoc />
    public string Name => HostName;

    /// <inheritdoc />
    public string Engine => "in memory, no sockets (HostKit.Testing)";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols | HostCapabilities.WebSocketKeepAliveTimeout |
        HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.RepeatedHeaderLines;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        return Task.FromResult<IRunningServer>(new InMemoryServer(new TestClient(application, options)));
    }
}
