using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using HostKit.Conformance;

namespace HostKit.Tests.Docs;

/// <summary>
/// docs/hosts.md gives each host's number of conformance rows, and the command that counts them
/// (<c>dotnet test --list-tests</c>, the rows of the <c>HostKit.Tests.Conformance</c> theories whose host is that host).
/// This counts the same rows from the theories' own data, so the table cannot go stale as cases are added.
/// </summary>
public partial class ConformanceCountTests
{
    [Fact]
    public void The_conformance_rows_per_host_in_the_docs_are_the_suites()
    {
        if (Environment.GetEnvironmentVariable(ConformanceHosts.OnlyVariable) is { Length: > 0 } only)
            Assert.Skip($"{ConformanceHosts.OnlyVariable}={only} narrows the suite: the counts are those of a full run.");
        var documented = DocumentedCounts();
        var counted = ConformanceHosts.All.Hosts.ToDictionary(h => h.Name, h => Rows(h.Name));
        Assert.Equal(counted.OrderBy(c => c.Key, StringComparer.Ordinal), documented.OrderBy(c => c.Key, StringComparer.Ordinal));
    }

    /// <summary>
    /// The rows a full run gives <paramref name="host"/>: one per data row that names it, of each theory the suite's case
    /// classes (the package's <c>HostKit.Conformance.Cases</c>, and this project's own <c>HostKit.Tests.Conformance</c>) declare.
    /// </summary>
    private static int Rows(string host) =>
        typeof(ConformanceHosts).Assembly.GetTypes().Where(t => t.Namespace == "HostKit.Conformance.Cases")
            .Concat(typeof(ConformanceCountTests).Assembly.GetTypes().Where(t => t.Namespace == "HostKit.Tests.Conformance"))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<HostTheoryAttribute>() is not null)
            .SelectMany(m => m.GetCustomAttributes<MemberDataAttribute>().Select(data => (data.MemberType ?? m.DeclaringType!, data.MemberName)))
            .SelectMany(source => DataRows(source.Item1, source.MemberName))
            .Count(row => Equals(row[0], host));

    private static IEnumerable<object?[]> DataRows(Type type, string member)
    {
        var value = type.GetProperty(member, BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)?.GetValue(null)
            ?? type.GetMethod(member, BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy, Type.EmptyTypes)?.Invoke(null, null)
            ?? throw new InvalidOperationException($"{type.Name}.{member} is no static data member.");
        foreach (var row in (IEnumerable)value)
            yield return row is ITheoryDataRow data ? data.GetData() : (object?[])row;
    }

    private static Dictionary<string, int> DocumentedCounts()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "hosts.md"));
        var table = text[(text.IndexOf("<!-- conformance-counts -->", StringComparison.Ordinal) is var at and >= 0 ? at : throw new InvalidOperationException("docs/hosts.md has no conformance-counts table."))..];
        return CountRow().Matches(table.Split("\n\n")[1]).ToDictionary(m => m.Groups["host"].Value, m => int.Parse(m.Groups["rows"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("No HostKit.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| `(?<host>[a-z-]+)` \| (?<rows>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex CountRow();
}
