using System.Diagnostics;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Load;

/// <summary>
/// One run of a load tool (wrk or wsload) pinned to the load core. Its stdout is read line by line:
/// a <c>phase NAME</c> line calls back at once (the runner samples the server's CPU when the
/// measurement window opens and closes), and the lines are kept for the final result.
/// </summary>
internal sealed class LoadProcess
{
    private readonly List<string> _lines = [];
    private readonly Lock _linesLock = new();

    /// <summary>The load generator's CPU seconds from the kernel's accounting of reaped children (for tools that do not report their own).</summary>
    public double ReapedCpuSeconds { get; private set; }

    /// <summary>Everything the tool printed on stdout.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_linesLock)
                return [.. _lines];
        }
    }

    /// <summary>What the tool printed on stderr (for error messages).</summary>
    public string Errors { get; private set; } = "";

    /// <summary>
    /// Runs the tool to the end. <paramref name="onPhase"/> gets each phase name and may close the
    /// tool's stdin through the given action (wsload's idle mode holds its sockets until then).
    /// </summary>
    public async Task<int> RunAsync(string loadCore, string program, IEnumerable<string> arguments, TimeSpan timeout,
        Func<string, Action, Task>? onPhase, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", loadCore, program, .. arguments])
            info.ArgumentList.Add(argument);
        var cpuBefore = Posix.ReapedChildrenCpuSeconds();
        using var process = ProcessGuard.Start(info, groupLeader: false);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lock (_linesLock)
                    _lines.Add(line);
                if (onPhase is not null && line.StartsWith("phase ", StringComparison.Ordinal))
                    await onPhase(line["phase ".Length..], () => process.StandardInput.Close());
            }
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            ProcessGuard.Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            ProcessGuard.Forget(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:F0} s");
        }
        ProcessGuard.Forget(process);
        Errors = (await stderr).Trim();
        ReapedCpuSeconds = Posix.ReapedChildrenCpuSeconds() - cpuBefore;
        return process.ExitCode;
    }
}
