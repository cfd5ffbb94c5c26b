using System.Text.RegularExpressions;
using HostKit.Tests.Support;

namespace HostKit.Tests.Docs;

/// <summary>
/// Every command in the docs that runs one of this repository's projects builds it in Release (issue 32: the README's
/// emit command built Debug, 53 s against 6.6 s, and a second configuration of everything besides the Release one
/// the other commands had built).
/// </summary>
public partial class ReleaseCommandTests
{
    [Fact]
    public void Every_dotnet_run_of_a_project_in_this_repository_says_dash_c_Release()
    {
        var root = Repository.Root;
        var documents = new[] { "README.md" }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f)))
            .Concat(Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)))
            .Concat(Directory.GetFiles(Path.Combine(root, "deploy"), "*.sh").Select(f => Path.GetRelativePath(root, f)));
        var debug = (
            from document in documents
            from numbered in File.ReadAllLines(Path.Combine(root, document)).Select((text, index) => (Text: text, Number: index + 1))
            where RepositoryProjectRun().IsMatch(numbered.Text) && !numbered.Text.Contains("-c Release", StringComparison.Ordinal)
            select $"{document}:{numbered.Number}: {numbered.Text.Trim()}").ToList();
        Assert.True(debug.Count == 0, "dotnet run of a repository project without -c Release:\n" + string.Join('\n', debug));
    }

    [GeneratedRegex(@"dotnet run\b[^`\n]*--project (\./)?(samples|bench|src|fuzz)/")]
    private static partial Regex RepositoryProjectRun();
}
