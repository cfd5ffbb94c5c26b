using System.Diagnostics;

namespace HostKit.Bench.Servers;

/// <summary>Runs a short command and returns what it printed: tool versions, installed-or-not checks.</summary>
internal static class CommandProbe
{
    /// <summary>The exit code and the trimmed stdout+stderr, or null when the program is not there.</summary>
    /// <param name="program">The program, on PATH or by path.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where to run it (the current directory when null).</param>
    /// <param name="timeout">How long it may take (60 s when null: probes are short; a build is given longer).</param>
    public static async Task<(int ExitCode, string Output)?> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info);
            if (process is null)
                return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no such program
        }
    }

    /// <summary>The first line a command prints, or "not installed".</summary>
    public static async Task<string> VersionAsync(string program, params string[] arguments) =>
        await RunAsync(program, arguments) is { ExitCode: 0 } result
            ? result.Output.Split('\n')[0].Trim()
            : "not installed";
}
