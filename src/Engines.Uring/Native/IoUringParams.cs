using System.Runtime.InteropServices;

namespace HostKit.Engines.Uring.Native;

/// <summary><c>struct io_uring_params</c> (linux/io_uring.h): what io_uring_setup takes and fills in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringParams
{
    public uint SqEntries;
    public uint CqEntries;
    public uint Flags;
    public uint SqThreadCpu;
    public uint SqThreadIdle;
    public uint Features;
    public uint WqFd;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
    public SqRingOffsets SqOffsets;
    public CqRingOffsets CqOffsets;
}

/// <summary><c>struct io_sqring_offsets</c>: where the submission ring's fields sit in its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SqRingOffsets
{
    public uint Head;
    public uint Tail;
    public uint RingMask;
    public uint RingEntries;
    public uint Flags;
    public uint Dropped;
    public uint Array;
    public uint Reserved1;
    public ulong UserAddress;
}

/// <summary><c>struct io_cqring_offsets</c>: where the completion ring's fields sit in its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CqRingOffsets
{
    public uint Head;
    public uint Tail;
    public uint RingMask;
    public uint RingEntries;
    public uint Overflow;
    public uint Cqes;
    public uint Flags;
    public uint Reserved1;
    public ulong UserAddress;
}
