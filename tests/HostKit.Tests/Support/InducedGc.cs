using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace HostKit.Tests.Support;

/// <summary>
/// Makes another .NET process run a full, blocking garbage collection from outside, as <c>dotnet-gcdump</c> does before it
/// walks a heap: an EventPipe session (the runtime's diagnostics port) that turns on the runtime provider's GCHeapCollect
/// keyword. Memory that a collection would give back is then given back, so a reading of the process's RSS after it
/// tells memory held from garbage not yet collected.
/// </summary>
internal static class InducedGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GCHeapCollectKeyword = 0x800000;

    /// <summary>Collects in the process <paramref name="pid"/> (a .NET process this test started).</summary>
    public static async Task RunAsync(int pid)
    {
        var client = new DiagnosticsClient(pid);
        using var session = await client.StartEventPipeSessionAsync(
            new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GCHeapCollectKeyword), requestRundown: false, circularBufferMB: 4)
            .WaitAsync(TimeSpan.FromSeconds(30));
        // The runtime writes the session's events to this stream; read them, so that it never waits on a full pipe.
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        session.Stop();
        await drain.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
