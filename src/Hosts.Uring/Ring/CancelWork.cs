namespace HostKit.Hosts.Uring.Ring;

/// <summary>Asks the kernel to cancel one submission, named by its user data (a cancel of a finished one finds nothing).</summary>
internal sealed class CancelWork(ulong userData) : IRingWork
{
    public void Run(UringLoop loop) => loop.Cancel(userData);
}
