using Microsoft.Win32.SafeHandles;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// File descriptors held back (each <c>/dev/null</c> opened once) so that they can be given back at the moment the process
/// runs out: the <see cref="DescriptorBudget.Reserve"/> made real, for a guard that must let something open a descriptor
/// when none is left (the engine seam's <c>DescriptorGuard</c>). Not thread-safe: its owner serialises <see cref="Take"/> and
/// <see cref="Release"/>.
/// </summary>
internal sealed class DescriptorReserve(int size)
{
    private List<SafeFileHandle> _held = [];

    /// <summary>How many descriptors a full reserve holds.</summary>
    public int Size { get; } = size;

    /// <summary>Takes the reserve: as many of <see cref="Size"/> as can be opened (the rest is taken with the next call).</summary>
    public void Take()
    {
        Release();
        var held = new List<SafeFileHandle>(Size);
        try
        {
            for (var i = 0; i < Size; i++)
                held.Add(File.OpenHandle("/dev/null"));
        }
        catch (IOException)
        {
            // As many as there are.
        }
        _held = held;
    }

    /// <summary>Gives every held descriptor back.</summary>
    public void Release()
    {
        foreach (var handle in _held)
            handle.Dispose();
        _held = [];
    }
}
