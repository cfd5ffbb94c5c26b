namespace HostKit.Hosts.HttpListener;

/// <summary>The <c>httplistener</c> host: System.Net.HttpListener.</summary>
public sealed class HttpListenerHost : IServerHost
{
    /// <inheritdoc />
    public string Name => "httplistener";

    /// <inheritdoc />
    public string Engine => "System.Net.HttpListener";

    /// <inheritdoc />
    public HostCapabilities Capabilities => HostCapabilities.None;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("TODO(skeleton): being written");
}
