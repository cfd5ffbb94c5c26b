using HostKit.Bench.Servers;

namespace HostKit.Bench.Load;

/// <summary>
/// The C tools (the websocket load generator and the ceiling server), compiled on this machine with
/// its own <c>cc -O2</c> into the runner's obj folder, and rebuilt when a source is newer. The load
/// generator links zlib (Debian's <c>zlib1g-dev</c>) to offer permessage-deflate.
/// </summary>
internal sealed class NativeTools
{
    private NativeTools(string wsLoad, string ceilingServer, string compiler)
    {
        WsLoad = wsLoad;
        CeilingServer = ceilingServer;
        Compiler = compiler;
    }

    /// <summary>bench/native/wsload.c, compiled.</summary>
    public string WsLoad { get; }

    /// <summary>bench/native/ceiling_server.c, compiled.</summary>
    public string CeilingServer { get; }

    /// <summary>The compiler's version line, for results.json.</summary>
    public string Compiler { get; }

    public static async Task<NativeTools> BuildAsync(RepositoryLayout layout)
    {
        Directory.CreateDirectory(layout.NativeBinaries);
        var compiler = await CommandProbe.VersionAsync("cc", "--version");
        if (compiler == "not installed")
            throw new InvalidOperationException("No C compiler: the websocket load generator is C, compiled here with `cc -O2` (apt-get install -y gcc).");
        // wsload compresses with zlib for the permessage-deflate workloads.
        return new NativeTools(await CompileAsync(layout, "wsload", "-lz"), await CompileAsync(layout, "ceiling_server"), compiler);
    }

    private static async Task<string> CompileAsync(RepositoryLayout layout, string name, params string[] libraries)
    {
        var source = Path.Combine(layout.NativeSources, name + ".c");
        var binary = Path.Combine(layout.NativeBinaries, name);
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source))
            return binary;
        var result = await CommandProbe.RunAsync("cc", ["-O2", "-Wall", "-Wextra", "-o", binary, source, .. libraries]);
        if (result is not { ExitCode: 0 })
            throw new InvalidOperationException($"cc -O2 {source} {string.Join(' ', libraries)} failed{(result?.Output.Contains("zlib.h", StringComparison.Ordinal) == true ? " (zlib's headers are missing: apt-get install -y zlib1g-dev)" : "")}: {result?.Output}");
        return binary;
    }
}
