namespace HostKit.Hosts.Kestrel;

/// <summary>The <c>kestrel</c> host: ASP.NET Core Kestrel.</summary>
public sealed class KestrelHost : IServerHost
{
    /// <inheritdoc />
    public string Name => "kestrel";

    /// <inheritdoc />
    public string Engine => "ASP.NET Core Kestrel";

    /// <inheritdoc />
    public HostCapabilities Capabilities => HostCapabilities.None;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("TODO(skeleton): being written");
}
