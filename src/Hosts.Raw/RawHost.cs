namespace HostKit.Hosts.Raw;

/// <summary>The <c>raw</c> host: HostKit's own HTTP/1.1 server on Socket + Pipelines.</summary>
public sealed class RawHost : IServerHost
{
    /// <inheritdoc />
    public string Name => "raw";

    /// <inheritdoc />
    public string Engine => "HostKit's own HTTP/1.1 server on Socket + Pipelines";

    /// <inheritdoc />
    public HostCapabilities Capabilities => HostCapabilities.None;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("TODO(skeleton): being written");
}
