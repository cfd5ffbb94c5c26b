using System.Runtime.InteropServices;

namespace HostKit.Hosting.Workers;

/// <summary>Sends a signal to another process: .NET can handle signals (PosixSignalRegistration) but not send one.</summary>
internal static partial class PosixSignals
{
    private const int SigQuit = 3;
    private const int SigTerm = 15;

    /// <summary>Asks process <paramref name="pid"/> to stop gracefully, as <c>kill -TERM</c> does. False when it is gone already.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>Tells worker <paramref name="pid"/> to stop at once, as <c>kill -QUIT</c> does (see <see cref="StopSignals"/>). False when it is gone already.</summary>
    public static bool Quit(int pid) => Kill(pid, SigQuit) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
