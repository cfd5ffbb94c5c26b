using System.Diagnostics;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// A pause the client makes before each request or message, spinning (a sleep would be far longer, and a timer
/// allocates). Why it matters: a server's cost per request depends on whether the next request is already there
/// when it reads again. Back to back, that is a race between the server's next read and the client's next send,
/// which the load on this shared machine decides, so the count moves from run to run (on Raw, between about 50 and
/// 600 B per request). After a pause the server has surely gone back to waiting, as it does on a keep-alive
/// connection under ordinary load. That is steady for Kestrel (48 B every run) but not yet for Raw (311 and
/// 497 B per request in two runs on 2026-12-01): README.md has the figures.
/// </summary>
internal static class ClientPause
{
    /// <summary>Long enough for a server to finish writing an answer and be waiting for the next request, on a busy machine.</summary>
    public static readonly TimeSpan ServerWaits = TimeSpan.FromMicroseconds(200);

    public static void Spin(TimeSpan pause)
    {
        if (pause <= TimeSpan.Zero)
            return;
        var until = Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
            Thread.SpinWait(20);
    }
}
