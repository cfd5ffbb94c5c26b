using System.Runtime.InteropServices;

namespace HostKit.Engines.Uring.Native;

/// <summary><c>struct io_uring_sqe</c>, 64 bytes, with the fields this engine fills (unions named for their use here).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct Submission
{
    [FieldOffset(0)] public byte Opcode;
    [FieldOffset(1)] public byte Flags;
    [FieldOffset(2)] public ushort IoPriority; // accept: IORING_ACCEPT_MULTISHOT
    [FieldOffset(4)] public int Fd;
    [FieldOffset(8)] public ulong Offset;
    [FieldOffset(16)] public ulong Address; // the buffer; for a cancel, the user data to cancel
    [FieldOffset(24)] public uint Length;
    [FieldOffset(28)] public uint OpFlags; // msg_flags, accept_flags, cancel_flags, shutdown's how
    [FieldOffset(32)] public ulong UserData;

    public const byte OpAccept = 13;
    public const byte OpAsyncCancel = 14;
    public const byte OpRead = 22;
    public const byte OpSend = 26;
    public const byte OpRecv = 27;

    public const ushort AcceptMultishot = 1 << 0;
    public const uint CancelAll = 1 << 0;
    public const uint CancelFd = 1 << 1;
    public const uint SockCloexec = 0x80000;
    public const uint MsgNoSignal = 0x4000;
}

/// <summary><c>struct io_uring_cqe</c>, 16 bytes: whose operation, its result (or -errno), flags.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Completion
{
    public ulong UserData;
    public int Result;
    public uint Flags;

    /// <summary>IORING_CQE_F_MORE: a multishot operation goes on.</summary>
    public const uint More = 1 << 1;
}
