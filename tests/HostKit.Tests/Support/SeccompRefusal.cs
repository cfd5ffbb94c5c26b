using System.Runtime.InteropServices;

namespace HostKit.Tests.Support;

/// <summary>
/// Runs code on a thread of its own whose <c>io_uring_setup</c> the kernel refuses with a chosen errno: a seccomp
/// filter, as a container's default profile installs, on that one thread (filters are per thread, and the threads
/// and processes it starts inherit it). The rest of the test process keeps io_uring.
/// </summary>
internal static unsafe partial class SeccompRefusal
{
    public const int EPERM = 1;
    public const int ENOSYS = 38;

    private const uint IoUringSetup = 425; // the same number on x86-64 and arm64
    private const int PrSetNoNewPrivs = 38;
    private const int PrSetSeccomp = 22;
    private const int SeccompModeFilter = 2;
    private const uint SeccompRetAllow = 0x7fff0000;
    private const uint SeccompRetErrno = 0x00050000;

    /// <summary>Runs <paramref name="action"/> on a new thread where io_uring_setup fails with <paramref name="errno"/>, and returns its result.</summary>
    public static T Run<T>(int errno, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Install(errno);
                result = action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the filtered thread did not finish");
        if (failure is not null)
            throw new AggregateException(failure);
        return result;
    }

    private static void Install(int errno)
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => 0xC000003Eu, // AUDIT_ARCH_X86_64
            System.Runtime.InteropServices.Architecture.Arm64 => 0xC00000B7u, // AUDIT_ARCH_AARCH64
            var other => throw new PlatformNotSupportedException($"no seccomp architecture for {other}"),
        };
        // struct seccomp_data: nr at 0, arch at 4. Another architecture's numbers mean other calls: allow them.
        var program = stackalloc Instruction[]
        {
            new(0x20, 0, 0, 4),                                  // A = arch
            new(0x15, 0, 3, arch),                               // A == arch ? next : allow
            new(0x20, 0, 0, 0),                                  // A = nr
            new(0x15, 0, 1, IoUringSetup),                       // A == io_uring_setup ? next : allow
            new(0x06, 0, 0, SeccompRetErrno | (uint)errno),      // return -errno
            new(0x06, 0, 0, SeccompRetAllow),
        };
        var filter = new Program { Length = 6, Filter = program };
        if (Prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0 || Prctl(PrSetSeccomp, SeccompModeFilter, (nint)(&filter), 0, 0) != 0)
            throw new InvalidOperationException($"installing the seccomp filter failed with errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nint a2, nint a3, nint a4, nint a5);

    /// <summary><c>struct sock_filter</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Instruction(ushort code, byte jumpTrue, byte jumpFalse, uint k)
    {
        public readonly ushort Code = code;
        public readonly byte JumpTrue = jumpTrue;
        public readonly byte JumpFalse = jumpFalse;
        public readonly uint K = k;
    }

    /// <summary><c>struct sock_fprog</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Program
    {
        public ushort Length;
        public Instruction* Filter;
    }
}
