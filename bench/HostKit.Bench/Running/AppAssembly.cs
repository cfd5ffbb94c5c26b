using HostKit.Bench.Servers;

namespace HostKit.Bench.Running;

/// <summary>
/// The application <c>--app</c> names, as a built .dll: a .dll is taken as it is; a project file (or a folder holding
/// one) is built in Release first, so the run measures the code as it stands.
/// </summary>
internal static class AppAssembly
{
    public static async Task<string> ResolveAsync(string app)
    {
        var path = Path.GetFullPath(app);
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return File.Exists(path) ? path : throw new ArgumentException($"--app {app}: no such file {path}.");
        var project = Directory.Exists(path) ? SingleProject(path, app) : path;
        if (!File.Exists(project) || !project.EndsWith("proj", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--app {app}: name an application's project file, its folder, or its built .dll.");
        var build = await CommandProbe.RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"], timeout: TimeSpan.FromMinutes(10));
        if (build is not { ExitCode: 0 })
            throw new InvalidOperationException($"dotnet build {project} -c Release failed: {build?.Output}");
        var target = await CommandProbe.RunAsync("dotnet", ["msbuild", project, "-getProperty:TargetPath", "-p:Configuration=Release", "-nologo"], timeout: TimeSpan.FromMinutes(2));
        if (target is not { ExitCode: 0, Output: var built } || !File.Exists(built))
            throw new InvalidOperationException($"Could not find what {project} builds (dotnet msbuild -getProperty:TargetPath): {target?.Output}");
        return built;
    }

    private static string SingleProject(string folder, string app) =>
        Directory.GetFiles(folder, "*.csproj") switch
        {
            [var only] => only,
            [] => throw new ArgumentException($"--app {app}: no project file in {folder}; name the application's project (MyApp/MyApp.csproj) or its folder."),
            var several => throw new ArgumentException($"--app {app}: several projects in {folder} ({string.Join(", ", several.Select(Path.GetFileName))}); name one."),
        };
}
