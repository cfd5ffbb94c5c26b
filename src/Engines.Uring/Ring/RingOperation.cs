using HostKit.Engines.Uring.Native;

namespace HostKit.Engines.Uring.Ring;

/// <summary>
/// One kind of work the loop hands to the kernel: it writes its submission entry, and is told its completion.
/// Its user data is a slot in the loop's table and a generation, bumped at each submission, so a cancel aimed
/// at an earlier submission can never hit a later one.
/// </summary>
internal abstract unsafe class RingOperation : IRingWork
{
    /// <summary>The slot in <see cref="UringLoop"/>'s table; -1 while unregistered.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Which submission of this operation the kernel has (bumped on each).</summary>
    public uint Generation { get; set; }

    /// <summary>The user data of the current submission.</summary>
    public ulong UserData => (ulong)Generation << 32 | (uint)Slot;

    /// <summary>Fills <paramref name="entry"/> (already zeroed; the loop sets the user data). Runs on the loop's thread.</summary>
    public abstract void Prepare(Submission* entry);

    /// <summary>Takes the kernel's answer: a count, a descriptor, or -errno. Runs on the loop's thread.</summary>
    public abstract void Complete(int result, uint flags);

    /// <summary>Posted to the loop: submit it.</summary>
    public virtual void Run(UringLoop loop) => loop.Submit(this);
}
