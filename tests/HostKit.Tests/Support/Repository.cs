namespace HostKit.Tests.Support;

/// <summary>Where the repository is, for tests that read its files (deploy/, docs/, samples/).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException("HostKit.sln not found above " + AppContext.BaseDirectory);
    }
}
