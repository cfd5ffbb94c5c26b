using HostKit.Hosts;

namespace HostKit.Testing;

/// <summary>An application served by <see cref="InMemoryHost"/>.</summary>
public sealed class InMemoryServer : IRunningServer
{
    private readonly TestClient _client;

    internal InMemoryServer(TestClient client) => _client = client;

    /// <inheritdoc />
    public IReadOnlyList<Uri> Addresses { get; } = [TestClient.BaseAddress];

    /// <summary>The client that reaches this server's application.</summary>
    public TestClient Client => _client;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken = default) => _client.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
