using System.Runtime.InteropServices;

namespace HostKit.Engines.Uring.Native;

/// <summary>
/// The C library calls the engine needs. io_uring has no libc wrappers (liburing's helpers are inline functions
/// in its header), so its three system calls go through <c>syscall(2)</c> by number; the numbers are the same on
/// x86-64 and arm64.
/// </summary>
internal static partial class LinuxCalls
{
    private const string Libc = "libc";

    public const long IoUringSetup = 425;
    public const long IoUringEnter = 426;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EPERM = 1;
    public const int ENOSYS = 38;
    public const int EBUSY = 16;
    public const int ECANCELED = 125;
    public const int ENFILE = 23;
    public const int EMFILE = 24;

    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int MapShared = 0x01;
    public const int MapPopulate = 0x08000;

    public const int EfdCloexec = 0x80000;

    public const int SolSocket = 1;
    public const int SoLinger = 13;

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    [LibraryImport(Libc, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Libc, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    public static unsafe partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    /// <summary>True for the errno values (EMFILE, ENFILE) of an accept that failed for want of descriptors.</summary>
    public static bool IsOutOfDescriptors(int errno) => errno is EMFILE or ENFILE;

    /// <summary>The errno of the last call above.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();
}
