namespace HostKit.Tests.Docs;

/// <summary>
/// docs/hosts.md promises that a host over the kit is small: the minimal host under 100 non-blank lines, kestrel-transport
/// (over a transport it does not own) under 200, Raw (its socket loop only; its HTTP/1.1 is the kit's) under 250, uring
/// (the adapter only: its io_uring engine is src/Engines.Uring, as Kestrel is not Kestrel's adapter) under 250, and kestrel
/// (its h2c hand-off a Kestrel extension of its own, src/Engines.KestrelH2c) under 500. Counted as the page's command counts
/// (<c>find DIR -name '*.cs' -not -path '*/obj/*' | xargs cat | grep -cv '^\s*$'</c>), so a host that grows past its promise fails here.
/// </summary>
public class HostSizeTests
{
    [Theory]
    [InlineData("samples/MinimalHost", 100)]
    [InlineData("src/Hosts.KestrelTransport", 200)]
    [InlineData("src/Hosts.Raw", 250)]
    [InlineData("src/Hosts.Uring", 250)]
    [InlineData("src/Hosts.Kestrel", 500)]
    public void A_host_the_docs_call_small_stays_under_its_promise(string folder, int limit)
    {
        var root = RepositoryRoot();
        var obj = Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar;
        var lines = Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains(obj, StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Count(line => !string.IsNullOrWhiteSpace(line));
        Assert.True(lines < limit, $"{folder} has {lines} non-blank lines of C#; docs/hosts.md says under {limit}.");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("No HostKit.sln above " + AppContext.BaseDirectory);
    }
}
