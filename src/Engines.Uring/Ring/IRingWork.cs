namespace HostKit.Engines.Uring.Ring;

/// <summary>Something another thread asks the loop to do on its own thread (the ring has one user: the loop).</summary>
internal interface IRingWork
{
    /// <summary>Runs on the loop's thread.</summary>
    void Run(UringLoop loop);
}
