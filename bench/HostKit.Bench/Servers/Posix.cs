using System.Runtime.InteropServices;

namespace HostKit.Bench.Servers;

/// <summary>The few libc calls .NET has no API for: signalling a process group, and the CPU time of reaped children.</summary>
internal static partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int RusageChildren = -1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, out Rusage usage);

    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="leader"/> (a server started with setsid).</summary>
    public static bool SignalGroup(int leader, int signal) => kill(-leader, signal) == 0;

    /// <summary>User plus system CPU seconds of every child process this runner has waited for (wrk's CPU after it exits).</summary>
    public static double ReapedChildrenCpuSeconds()
    {
        if (getrusage(RusageChildren, out var usage) != 0)
            return 0;
        return usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);
    }

    /// <summary>The head of <c>struct rusage</c> on 64-bit Linux (two timevals), padded to its full size.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public RusageCounters Counters;
    }

    /// <summary>The 14 counters after the two timevals, which the runner does not read.</summary>
    [System.Runtime.CompilerServices.InlineArray(14)]
    private struct RusageCounters
    {
        private long _first;
    }
}
