using System.Globalization;
using System.Runtime.InteropServices;

namespace HostKit.Hosts;

/// <summary>
/// The listening sockets an engine opened itself, found by port in <c>/proc</c>, and a gate on them: closed, a socket
/// filter drops every incoming packet, so new clients' SYNs go unanswered and they retry (TCP's own backoff) instead of
/// being accepted; open, the filter is gone. Connections already established wait in the accept queue, whose length
/// <see cref="LimitBacklog"/> bounds. Linux only.
/// </summary>
internal sealed partial class ListeningSocketGate
{
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;
    private const int SoDetachFilter = 27;

    // One classic BPF program, "ret #0": accept no byte of any packet. Native memory, for the life of the process, made
    // when the first gate is found rather than when it first closes (out of descriptors, nothing new should run).
    private static readonly nint DropAll = CreateDropAllProgram();

    private readonly int[] _descriptors;

    private ListeningSocketGate(int[] descriptors) => _descriptors = descriptors;

    public int Sockets => _descriptors.Length;

    /// <summary>The gate on this process's TCP sockets listening on <paramref name="ports"/>; null when none is found (or not on Linux).</summary>
    public static ListeningSocketGate? Find(IReadOnlyCollection<int> ports)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            var inodes = ListeningInodes("/proc/self/net/tcp", ports).Concat(ListeningInodes("/proc/self/net/tcp6", ports)).ToHashSet();
            var descriptors = new List<int>();
            foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                if (new FileInfo(entry).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                    && inodes.Contains(inode))
                    descriptors.Add(int.Parse(Path.GetFileName(entry), CultureInfo.InvariantCulture));
            }
            return descriptors.Count > 0 ? new ListeningSocketGate([.. descriptors]) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Shortens each socket's accept queue to <paramref name="backlog"/> (a second <c>listen</c> only changes the backlog).</summary>
    public void LimitBacklog(int backlog)
    {
        foreach (var descriptor in _descriptors)
            _ = Listen(descriptor, backlog);
    }

    /// <summary>New clients wait (their SYNs are dropped) until <see cref="Open"/>.</summary>
    public void Close()
    {
        foreach (var descriptor in _descriptors)
            _ = SetSocketOption(descriptor, SolSocket, SoAttachFilter, DropAll, (uint)(2 * IntPtr.Size));
    }

    /// <summary>New clients are let in again.</summary>
    public void Open()
    {
        var unused = Marshal.AllocHGlobal(sizeof(int));
        try
        {
            Marshal.WriteInt32(unused, 0);
            foreach (var descriptor in _descriptors)
                _ = SetSocketOption(descriptor, SolSocket, SoDetachFilter, unused, sizeof(int));
        }
        finally
        {
            Marshal.FreeHGlobal(unused);
        }
    }

    /// <summary>The inodes of the sockets in <paramref name="table"/> (<c>/proc/net/tcp</c>'s format) listening on one of <paramref name="ports"/>.</summary>
    internal static IEnumerable<long> ListeningInodes(string table, IReadOnlyCollection<int> ports)
    {
        if (!File.Exists(table))
            yield break;
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != "0A") // 0A: TCP_LISTEN
                continue;
            var port = int.Parse(fields[1].AsSpan(fields[1].IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (ports.Contains(port))
                yield return long.Parse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }

    private static nint CreateDropAllProgram()
    {
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }: BPF_RET | BPF_K (0x06) with k = 0.
        var instruction = Marshal.AllocHGlobal(8);
        Marshal.WriteInt64(instruction, 0x06);
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer is aligned to its size.
        var program = Marshal.AllocHGlobal(2 * IntPtr.Size);
        Marshal.WriteInt64(program, 0);
        Marshal.WriteInt16(program, 1);
        Marshal.WriteIntPtr(program, IntPtr.Size, instruction);
        return program;
    }

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSocketOption(int socket, int level, int name, nint value, uint length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int Listen(int socket, int backlog);
}
