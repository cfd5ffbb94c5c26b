using System.Collections.Concurrent;
using System.Diagnostics;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Running;

/// <summary>
/// Every process this runner starts, so that none outlives it: on Ctrl+C, on a failure, or on exit,
/// each is killed by the id it was started with (servers by their process group, which holds their
/// forked workers). Nothing is ever killed by name.
/// </summary>
internal static class ProcessGuard
{
    private static readonly ConcurrentDictionary<int, bool> Live = new(); // pid -> is a process-group leader

    static ProcessGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    /// <summary>Starts <paramref name="info"/> and remembers it until <see cref="Forget"/>.</summary>
    public static Process Start(ProcessStartInfo info, bool groupLeader)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        Live[process.Id] = groupLeader;
        return process;
    }

    /// <summary>The process has exited and been waited for.</summary>
    public static void Forget(Process process) => Live.TryRemove(process.Id, out _);

    /// <summary>Kills one tracked process (its whole group when it leads one).</summary>
    public static void Kill(Process process)
    {
        if (Live.TryGetValue(process.Id, out var group) && group)
            Posix.SignalGroup(process.Id, Posix.SigKill);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private static void KillAll()
    {
        foreach (var (pid, group) in Live)
        {
            if (group)
                Posix.SignalGroup(pid, Posix.SigKill);
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // already gone
            }
        }
        Live.Clear();
    }
}
