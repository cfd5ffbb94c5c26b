using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace HostKit.Benchmarks.Profiling;

/// <summary>
/// The runtime's allocation sampling, read in-process: the GC raises <c>GCAllocationTick</c> each time about
/// 100 KB have been allocated, naming the type of the object that crossed the mark, so over many requests each
/// type's share of the ticks is its share of the bytes. This listener tallies them by type. Its own event handling
/// allocates too (about 1% of what it samples), so it runs apart from the byte counts.
/// </summary>
internal sealed class AllocationTickListener : EventListener
{
    private const int AllocationTickEventId = 10;
    private const long GcKeyword = 0x1;

    // Static: EventListener calls OnEventSourceCreated from its base constructor, before any field of ours is set.
    private static readonly ConcurrentDictionary<string, long> s_bytesByType = new();
    private static volatile bool s_recording;

    public static void Start()
    {
        s_bytesByType.Clear();
        s_recording = true;
    }

    /// <summary>Stops recording and returns the sampled bytes per type, largest first.</summary>
    public static IReadOnlyList<(string Type, long Bytes)> Stop()
    {
        s_recording = false;
        return [.. s_bytesByType.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value))];
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!s_recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
            return;
        var typeIndex = names.IndexOf("TypeName");
        var amountIndex = names.IndexOf("AllocationAmount64");
        if (typeIndex < 0 || amountIndex < 0)
            return;
        var type = payload[typeIndex] as string ?? "?";
        var amount = Convert.ToInt64(payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture);
        s_bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
