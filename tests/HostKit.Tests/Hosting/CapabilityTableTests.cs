using HostKit.Hosting;
using HostKit.Hosts;
using HostKit.Tests.Conformance;

namespace HostKit.Tests.Hosting;

/// <summary>
/// Every host's <see cref="IServerHost.Capabilities"/> is pinned to its row of the README's host table.
/// A capability decides which conformance cases run on a host, so a flag dropped by mistake would make
/// cases vanish without a failure; here it fails, and the documented table stays true to the code.
/// </summary>
public class CapabilityTableTests
{
    public static TheoryData<string> Hosts => [.. ConformanceHosts.All.Hosts.Select(h => h.Name)];

    [Theory, MemberData(nameof(Hosts))]
    public void Each_host_declares_exactly_what_the_readme_table_says(string host)
    {
        var table = ReadmeTable();
        Assert.True(table.TryGetValue(host, out var documented), $"The README's host table has no row for '{host}'.");
        Assert.Equal(documented, ConformanceHosts.All.Get(host).Capabilities);
    }

    [Fact]
    public void The_readme_table_lists_no_host_that_does_not_exist()
    {
        Assert.All(ReadmeTable().Keys, name => Assert.NotNull(ConformanceHosts.All.Find(name)));
    }

    /// <summary>The README's host table: host name to the capabilities its "yes" cells name, by the same column titles as <c>--host list</c>.</summary>
    private static Dictionary<string, HostCapabilities> ReadmeTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| host | engine |", StringComparison.Ordinal));
        Assert.True(header >= 0, "README.md has no host table.");
        var titles = Cells(lines[header]);
        var rows = new Dictionary<string, HostCapabilities>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = Cells(line);
            var name = cells[0].Split('`')[1];
            var capabilities = HostCapabilities.None;
            for (var i = 2; i < cells.Length; i++)
            {
                var column = HostTable.Columns.Single(c => c.Title == titles[i]);
                if (cells[i] == "yes")
                    capabilities |= column.Capability;
            }
            rows[name] = capabilities;
        }
        return rows;
    }

    private static string[] Cells(string line) => [.. line.Trim('|').Split('|').Select(c => c.Trim())];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: no HostKit.sln above " + AppContext.BaseDirectory);
    }
}
