namespace HostKit.Benchmarks.EndToEnd;

/// <summary>A server started in this process for the end-to-end benchmarks: where it listens, and how it stops.</summary>
internal sealed class BenchServer(string name, Uri address, Func<ValueTask> stop) : IAsyncDisposable
{
    /// <summary>The name it goes by in the benchmark tables (a host's <c>--host</c> name, or a baseline's).</summary>
    public string Name => name;

    /// <summary>The bound address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address => address;

    public ValueTask DisposeAsync() => stop();
}
