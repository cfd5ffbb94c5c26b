namespace HostKit.Bench.Running;

/// <summary>Finds a program on PATH, as the shell would.</summary>
internal static class ToolLocator
{
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
