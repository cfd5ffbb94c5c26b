namespace HostKit.Testing;

/// <summary>The <c>memory</c> host: runs an application without sockets, for tests.</summary>
public sealed class InMemoryHost : IServerHost
{
    /// <inheritdoc />
    public string Name => "memory";

    /// <inheritdoc />
    public string Engine => "in-memory, no sockets (HostKit.Testing)";

    /// <inheritdoc />
    public HostCapabilities Capabilities => HostCapabilities.None;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("TODO(skeleton): being written");
}
