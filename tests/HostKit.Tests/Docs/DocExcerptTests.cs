using System.Text.RegularExpressions;

namespace HostKit.Tests.Docs;

/// <summary>
/// The docs quote code: every fenced block after an <c>&lt;!-- excerpt: PATH --&gt;</c> marker must appear, line for line and
/// in order, in that file, so a tutorial cannot drift from the code it teaches.
/// </summary>
public partial class DocExcerptTests
{
    public static TheoryData<string, int, string> Excerpts()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var (doc, line, path) in FindExcerpts())
            data.Add(doc, line, path);
        return data;
    }

    private static IEnumerable<(string Doc, int Line, string Path)> FindExcerpts()
    {
        foreach (var doc in Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(doc);
            foreach (Match match in Excerpt().Matches(text))
                yield return (Path.GetFileName(doc), text[..match.Index].Count(c => c == '\n') + 1, match.Groups["path"].Value);
        }
    }

    [Theory, MemberData(nameof(Excerpts))]
    public void The_excerpt_is_in_its_file(string doc, int line, string path)
    {
        var root = RepositoryRoot();
        var text = File.ReadAllText(Path.Combine(root, "docs", doc));
        var match = Excerpt().Matches(text).Single(m => text[..m.Index].Count(c => c == '\n') + 1 == line);
        var excerpt = match.Groups["code"].Value.TrimEnd('\n').Split('\n');
        var source = File.ReadAllLines(Path.Combine(root, path));
        var found = Enumerable.Range(0, Math.Max(0, source.Length - excerpt.Length + 1))
            .Any(start => excerpt.Select((l, i) => source[start + i] == l).All(same => same));
        Assert.True(found, $"docs/{doc}:{line}: the excerpt is not in {path} any more:\n{string.Join('\n', excerpt)}");
    }

    [Fact]
    public void The_docs_quote_the_minimal_host()
    {
        Assert.Contains(FindExcerpts(), excerpt => excerpt.Path.StartsWith("samples/MinimalHost/", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("No HostKit.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<!-- excerpt: (?<path>\S+) -->\n```\w*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Excerpt();
}
