using System.Runtime.InteropServices;

namespace HostKit.Hosts;

/// <summary>
/// What is at a path, without following a symbolic link: whether it is a socket, and its inode. .NET tells a file from a
/// directory but names no socket type, and a socket file must be told apart from a file someone keeps at that path
/// before HostKit removes it as stale; so Linux's <c>statx(2)</c> is asked, whose buffer has the same layout on every
/// architecture (unlike <c>struct stat</c>).
/// </summary>
internal readonly partial record struct UnixFileStatus(bool Exists, bool IsSocket, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int ModeOffset = 28; // __u16 stx_mode, after stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid
    private const int InodeOffset = 32; // __u64 stx_ino
    private const int FileTypeMask = 0xF000; // S_IFMT
    private const int SocketType = 0xC000; // S_IFSOCK
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR

    /// <summary>The status of <paramref name="path"/>; <see cref="Exists"/> false when nothing is there.</summary>
    /// <exception cref="IOException">The path cannot be examined (a directory on it cannot be searched).</exception>
    public static UnixFileStatus Of(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxIno, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is NoSuchFile or NotADirectory
                ? default
                : throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        var mode = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]);
        var inode = MemoryMarshal.Read<ulong>(buffer[InodeOffset..]);
        return new UnixFileStatus(true, (mode & FileTypeMask) == SocketType, inode);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
