using HostKit.Bench.Load;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Report;

/// <summary>The versions of everything that shaped the figures, for results.json and the report.</summary>
internal static class ToolVersions
{
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(RepositoryLayout layout, NativeTools tools, string? wrk)
    {
        var python = "/usr/bin/python3";
        var versions = new Dictionary<string, string>
        {
            ["dotnet SDK"] = await CommandProbe.VersionAsync("dotnet", "--version"),
            ["cc"] = tools.Compiler,
            // wrk -v prints its version and exits 1.
            ["wrk"] = wrk is null ? "not installed" : (await CommandProbe.RunAsync(wrk, ["-v"]))?.Output.Split('\n')[0].Trim() ?? "?",
            // h2load --version prints "h2load nghttp2/1.52.0".
            ["h2load"] = await CommandProbe.VersionAsync("h2load", "--version"),
            ["python3 (Debian)"] = await CommandProbe.VersionAsync(python, "--version"),
            ["gunicorn"] = await CommandProbe.VersionAsync("/usr/bin/gunicorn", "--version"),
            ["uwsgi"] = await CommandProbe.VersionAsync("/usr/bin/uwsgi", "--version"),
            ["node"] = await CommandProbe.VersionAsync("node", "--version"),
            ["ws (npm)"] = await CommandProbe.VersionAsync("node", "-p", "require('./node_modules/ws/package.json').version"),
        };
        // Each Python package under its own name, so the report's tools line pairs every name with its version.
        foreach (var package in new[] { "flask", "gevent", "gevent-websocket", "tornado" })
            versions[package] = await CommandProbe.VersionAsync(python, "-c", $"import importlib.metadata as m; print(m.version('{package}'))");
        // `node -p` resolves relative to the working directory: ask again from the baseline's folder.
        if (layout.InRepository && await CommandProbe.RunAsync("node", ["-p", "require('./node_modules/ws/package.json').version"], layout.NodeBaseline) is { ExitCode: 0 } ws)
            versions["ws (npm)"] = ws.Output;
        return versions;
    }
}
