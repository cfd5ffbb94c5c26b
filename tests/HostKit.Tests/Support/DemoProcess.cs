using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HostKit.Tests.Support;

/// <summary>
/// The Demo as a separate process on 127.0.0.1, as a person runs it. Stopped with SIGTERM (by this process's id, never
/// by name), and killed if it does not stop. Its output is kept (<see cref="Output"/>) for the tests that read its log.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private DemoProcess(Process process, ProcessOutput output, Uri address)
    {
        _process = process;
        Output = output;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Everything the Demo printed so far.</summary>
    public ProcessOutput Output { get; }

    /// <summary>The process id (for a supervisor under <c>--workers</c>, the supervisor's).</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the Demo on <paramref name="host"/> at <paramref name="port"/> (0: a free one) and waits for its "serving" line.</summary>
    public static Task<DemoProcess> StartAsync(string host = "kestrel", int port = 0, params string[] extraArgs) =>
        StartAsync(StartInfo(["--host", host, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. extraArgs]));

    /// <summary>Starts the Demo on <paramref name="host"/> at <paramref name="urls"/> (an https:// one needs the certificate options in <paramref name="extraArgs"/>).</summary>
    public static Task<DemoProcess> StartAtAsync(string host, string urls, params string[] extraArgs) =>
        StartAsync(StartInfo(["--host", host, "--urls", urls, .. extraArgs]));

    /// <summary>
    /// Starts the Demo on <paramref name="host"/> on a free port with <paramref name="environment"/> set for it (a null value
    /// removes a variable this process has), as an operator's <c>VAR=value dotnet ...</c> does.
    /// </summary>
    public static Task<DemoProcess> StartWithEnvironmentAsync(string host, IReadOnlyDictionary<string, string?> environment, params string[] extraArgs)
    {
        var start = StartInfo(["--host", host, "--urls", "http://127.0.0.1:0", .. extraArgs]);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        return StartAsync(start);
    }

    /// <summary>
    /// Starts the Demo on <paramref name="host"/> on a free port with at most <paramref name="descriptors"/> open files
    /// (<c>ulimit -n</c>, soft and hard, through bash, which then becomes the Demo: <see cref="Pid"/> is the Demo's).
    /// </summary>
    public static Task<DemoProcess> StartWithDescriptorLimitAsync(string host, int descriptors, params string[] extraArgs)
    {
        var demo = StartInfo(["--host", host, "--urls", "http://127.0.0.1:0", .. extraArgs]);
        var command = $"ulimit -n {descriptors.ToString(CultureInfo.InvariantCulture)} && exec \"$0\" \"$@\"";
        return StartAsync(new ProcessStartInfo("bash", ["-c", command, demo.FileName, .. demo.ArgumentList])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
    }

    /// <summary>
    /// Like <see cref="StartAsync(string, int, string[])"/> on a free port, in a process group of its own (through <c>setsid</c>, which
    /// keeps the process id, so <see cref="Pid"/> is the group's id), as a shell's job is: <see cref="SignalGroup"/> then reaches
    /// it and every worker it starts, as a terminal's Ctrl+C does.
    /// </summary>
    public static Task<DemoProcess> StartInOwnProcessGroupAsync(string host, params string[] extraArgs)
    {
        var start = StartInfo(["--host", host, "--urls", "http://127.0.0.1:0", .. extraArgs]);
        start.ArgumentList.Insert(0, start.FileName);
        start.FileName = "setsid";
        return StartAsync(start);
    }

    private static async Task<DemoProcess> StartAsync(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        var output = ProcessOutput.Of(process);
        try
        {
            var line = await output.WaitForAsync(l => ServingLine().IsMatch(l), StartTimeout, () => process.HasExited);
            return new DemoProcess(process, output, new Uri(ServingLine().Match(line).Groups[1].Value));
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the Demo again on <paramref name="port"/>, retrying for a while: the previous process's port can take a
    /// moment to be free again.
    /// </summary>
    public static async Task<DemoProcess> StartOnPortAsync(int port, string host = "kestrel", params string[] extraArgs)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(host, port, extraArgs);
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Runs the Demo with <paramref name="args"/> to its end (a command such as <c>emit</c>, or a refused start).</summary>
    public static Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args) => RunToEndInAsync(null, args);

    /// <summary>Like <see cref="RunToEndAsync"/>, started in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndInAsync(string? workingDirectory, params string[] args)
    {
        var start = StartInfo(args);
        start.WorkingDirectory = workingDirectory ?? "";
        using var process = Process.Start(start)!;
        var output = ProcessOutput.Of(process);
        try
        {
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
            // The exit can be seen before the last lines are read: wait for both pipes to end.
            await output.Ended.WaitAsync(StartTimeout);
        }
        finally
        {
            Kill(process);
        }
        return (process.ExitCode, output.Text);
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            Signal("TERM", _process.Id);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));
        }
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself (after a signal this test sent); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash or an OOM kill would: no graceful stop, no leave events.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signal("KILL", _process.Id);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>, a process this test started (or one of its workers).</summary>
    public static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Sends <paramref name="signal"/> to every process of the group this Demo leads (<see cref="StartInOwnProcessGroupAsync"/>), as <c>kill -SIGNAL -PGID</c>.</summary>
    public void SignalGroup(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", "--", $"-{_process.Id.ToString(CultureInfo.InvariantCulture)}"]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
            Kill(_process);
        }
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

    private static void Kill(Process process)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
    }

    [GeneratedRegex(@"^HostKit: serving on \S+ .* at (https?://\S+)")]
    private static partial Regex ServingLine();
}
