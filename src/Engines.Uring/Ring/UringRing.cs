using HostKit.Engines.Uring.Native;

namespace HostKit.Engines.Uring.Ring;

/// <summary>
/// One io_uring instance: the submission and completion rings the kernel shares with us, mapped into this
/// process. Submissions are written into the next free entry and handed over by <see cref="Enter"/>; completions
/// are read from the completion ring. Used by one thread only (the loop's), so it takes no locks; the memory
/// barriers are those the kernel's documentation asks for on the heads and tails.
/// </summary>
internal sealed unsafe class UringRing : IDisposable
{
    private readonly int _fd;
    private readonly nint _rings;
    private readonly nuint _ringsLength;
    private readonly nint _submissionsMemory;
    private readonly nuint _submissionsLength;

    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint _sqEntries;
    private readonly Submission* _submissions;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly Completion* _completions;

    private uint _localTail; // entries written but not yet published to the kernel
    private uint _toSubmit;

    private UringRing(int fd, in IoUringParams parameters)
    {
        _fd = fd;
        // Kernels since 5.4 map both rings with one mmap (IORING_FEAT_SINGLE_MMAP); UringSetup refuses older ones.
        var sqLength = parameters.SqOffsets.Array + parameters.SqEntries * sizeof(uint);
        var cqLength = parameters.CqOffsets.Cqes + parameters.CqEntries * (uint)sizeof(Completion);
        _ringsLength = Math.Max(sqLength, cqLength);
        _rings = Map(fd, _ringsLength, 0);
        _submissionsLength = parameters.SqEntries * (nuint)sizeof(Submission);
        _submissionsMemory = Map(fd, _submissionsLength, 0x10000000);

        var rings = (byte*)_rings;
        _sqHead = (uint*)(rings + parameters.SqOffsets.Head);
        _sqTail = (uint*)(rings + parameters.SqOffsets.Tail);
        _sqMask = *(uint*)(rings + parameters.SqOffsets.RingMask);
        _sqEntries = *(uint*)(rings + parameters.SqOffsets.RingEntries);
        _cqHead = (uint*)(rings + parameters.CqOffsets.Head);
        _cqTail = (uint*)(rings + parameters.CqOffsets.Tail);
        _cqMask = *(uint*)(rings + parameters.CqOffsets.RingMask);
        _completions = (Completion*)(rings + parameters.CqOffsets.Cqes);
        _submissions = (Submission*)_submissionsMemory;
        // The indirection array maps ring slots to entries; keep it the identity, as liburing does.
        var array = (uint*)(rings + parameters.SqOffsets.Array);
        for (uint i = 0; i < _sqEntries; i++)
            array[i] = i;
        _localTail = *_sqTail;
    }

    /// <summary>Creates a ring of <paramref name="entries"/> submissions; throws <see cref="UringUnavailableException"/> when the kernel refuses.</summary>
    public static UringRing Create(uint entries)
    {
        var parameters = default(IoUringParams);
        var fd = (int)LinuxCalls.Syscall(LinuxCalls.IoUringSetup, entries, (long)&parameters, 0, 0, 0, 0);
        if (fd < 0)
            throw UringUnavailableException.FromSetup(LinuxCalls.LastError);
        if ((parameters.Features & 1) == 0)
        {
            LinuxCalls.Close(fd);
            throw new UringUnavailableException("io_uring on this kernel lacks IORING_FEAT_SINGLE_MMAP (Linux 5.4); the uring host needs Linux 5.19 or later");
        }
        try
        {
            return new UringRing(fd, parameters);
        }
        catch
        {
            LinuxCalls.Close(fd);
            throw;
        }
    }

    /// <summary>The next free submission entry, zeroed, or null when the ring is full (submit, then ask again).</summary>
    public Submission* Next()
    {
        var head = Volatile.Read(ref *_sqHead);
        if (_localTail - head >= _sqEntries)
            return null;
        var entry = &_submissions[_localTail & _sqMask];
        *entry = default;
        _localTail++;
        _toSubmit++;
        return entry;
    }

    /// <summary>True when entries wait to be submitted.</summary>
    public bool HasPending => _toSubmit > 0;

    /// <summary>
    /// Publishes the written entries and enters the kernel: submits them, and when <paramref name="wait"/> is set
    /// sleeps until at least one completion is ready. Returns false when a signal interrupted the wait.
    /// </summary>
    public bool Enter(bool wait)
    {
        Volatile.Write(ref *_sqTail, _localTail);
        var submitted = _toSubmit;
        var result = LinuxCalls.Syscall(LinuxCalls.IoUringEnter, _fd, submitted, wait ? 1 : 0, wait ? 1 : 0, 0, 0);
        if (result >= 0)
        {
            _toSubmit -= (uint)result;
            return true;
        }
        var error = LinuxCalls.LastError;
        // EINTR: the runtime signals threads (to suspend them for the GC); EAGAIN/EBUSY: completions must be reaped first.
        if (error is LinuxCalls.EINTR or LinuxCalls.EAGAIN or LinuxCalls.EBUSY)
            return false;
        throw new InvalidOperationException($"io_uring_enter failed with errno {error}");
    }

    /// <summary>Takes the next completion, if one is ready.</summary>
    public bool TryTake(out Completion completion)
    {
        var head = *_cqHead;
        if (head == Volatile.Read(ref *_cqTail))
        {
            completion = default;
            return false;
        }
        completion = _completions[head & _cqMask];
        Volatile.Write(ref *_cqHead, head + 1);
        return true;
    }

    public void Dispose()
    {
        LinuxCalls.Munmap(_submissionsMemory, _submissionsLength);
        LinuxCalls.Munmap(_rings, _ringsLength);
        LinuxCalls.Close(_fd);
    }

    private static nint Map(int fd, nuint length, long offset)
    {
        var address = LinuxCalls.Mmap(0, length, LinuxCalls.ProtRead | LinuxCalls.ProtWrite, LinuxCalls.MapShared | LinuxCalls.MapPopulate, fd, offset);
        if (address == -1)
            throw new UringUnavailableException($"mapping the io_uring rings failed with errno {LinuxCalls.LastError}");
        return address;
    }
}
