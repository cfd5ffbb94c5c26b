using BenchmarkDotNet.Attributes;

namespace HostKit.Benchmarks.Http;

/// <summary>
/// <see cref="Environ"/> creation and header lookup per host, for a browser request with eight headers
/// (<see cref="Requests.Browser"/>): <c>raw</c> (<c>Http1Environ</c>, which the <c>minimal</c> host shares),
/// <c>kestrel</c> and <c>httplistener</c> over a live request held open in their engine (their environ reads
/// the engine's own objects, which only a running engine makes), and <c>memory</c> (the in-memory host of
/// HostKit.Testing). See <see cref="EnvironSource"/> for what each does per request.
/// </summary>
[MemoryDiagnoser]
public class EnvironBenchmarks
{
    private EnvironSource _source = null!;
    private Environ _environ = null!;

    [Params("raw", "kestrel", "httplistener", "memory")]
    public string Host { get; set; } = "raw";

    [GlobalSetup]
    public void Setup()
    {
        _source = EnvironSource.Create(Host);
        _environ = _source.Next();
    }

    [GlobalCleanup]
    public void Cleanup() => _source.Dispose();

    /// <summary>The environ for the next request, nothing read from it yet.</summary>
    [Benchmark]
    public Environ Create() => _source.Next();

    /// <summary>What a routing application reads of every request: a new environ, then method, PATH_INFO, QUERY_STRING, Host and User-Agent.</summary>
    [Benchmark]
    public int CreateAndRoute()
    {
        var environ = _source.Next();
        return environ.RequestMethod.Length + environ.PathInfo.Length + environ.QueryString.Length +
               (environ.GetHeader("Host")?.Length ?? 0) + (environ.GetHeader("User-Agent")?.Length ?? 0);
    }

    /// <summary>One header present in the request, looked up by a name in another case than sent.</summary>
    [Benchmark]
    public string? GetHeader() => _environ.GetHeader("accept-language");

    /// <summary>One header absent from the request.</summary>
    [Benchmark]
    public string? GetMissingHeader() => _environ.GetHeader("X-Forwarded-For");

    /// <summary>Every header, as the application enumerates them (<see cref="Environ.Headers"/>).</summary>
    [Benchmark]
    public int EnumerateHeaders()
    {
        var count = 0;
        foreach (var header in _environ.Headers)
            count += header.Value.Length;
        return count;
    }
}
