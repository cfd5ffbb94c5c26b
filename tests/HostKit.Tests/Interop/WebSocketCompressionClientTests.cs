using System.Diagnostics;
using HostKit.Hosts;
using HostKit.Tests.Conformance;
using HostKit.Tests.Support;

namespace HostKit.Tests.Interop;

/// <summary>
/// The clients people use talk permessage-deflate with every host that declares it: Python's <c>websockets</c> and
/// Node's <c>ws</c>, each in its own process, offering the extension as they do by default.
/// </summary>
public class WebSocketCompressionClientTests
{
    private const string DebianPython = "/usr/bin/python3";

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSocketCompression | HostCapabilities.Network);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Python_websockets_negotiates_compression_and_echoes(string host)
    {
        RequiredComponent.File(DebianPython, "python3");
        RequiredComponent.File("/usr/lib/python3/dist-packages/websockets/__init__.py", "python3-websockets");
        var output = await EchoThroughAsync(host, DebianPython, "deflate_client.py");
        Assert.Contains("extensions: permessage-deflate", output, StringComparison.Ordinal);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Node_ws_negotiates_compression_and_echoes(string host)
    {
        var modules = Path.Combine(Repository.Root, "bench", "baselines", "node", "node_modules");
        RequiredComponent.File(Path.Combine(modules, "ws", "package.json"), "nodejs; then npm ci in bench/baselines/node");
        var output = await EchoThroughAsync(host, "node", "deflate_client.js", ("NODE_PATH", modules));
        Assert.Contains("extensions: permessage-deflate", output, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="script"/> against the echo route of <paramref name="host"/> with compression on; its output, once it succeeded.</summary>
    private static async Task<string> EchoThroughAsync(string host, string program, string script, params (string Name, string Value)[] environment)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { WebSockets = o.WebSockets with { Compression = true } });
        var start = new ProcessStartInfo(program, [Path.Combine(Repository.Root, "tests", "HostKit.Tests", "Interop", script), $"ws://{server.Address.Authority}/ws/echo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}):\n{output}");
        return output;
    }
}
