namespace HostKit.Hosting.Workers;

/// <summary>
/// A worker reads its standard input, a pipe its supervisor holds open and never writes: the end of it means the
/// supervisor is gone (even killed with SIGKILL, which it cannot forward), and the worker stops instead of serving on alone.
/// </summary>
internal static class SupervisorWatch
{
    /// <summary>Starts the watch: <paramref name="stop"/> is cancelled once the supervisor is gone.</summary>
    public static void StopWhenGone(CancellationTokenSource stop)
    {
        var watcher = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                input.CopyTo(Stream.Null);
            }
            catch (IOException)
            {
                // Closed under us: the same news.
            }
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The worker stopped already.
            }
        })
        { IsBackground = true, Name = "HostKit supervisor watch" };
        watcher.Start();
    }
}
