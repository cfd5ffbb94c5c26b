using System.Text.Json;

namespace HostKit.Bench.Load;

/// <summary>Both load tools end with one line <c>result {json}</c>; this finds and parses it.</summary>
internal static class LoadToolOutput
{
    public static JsonElement? FindResult(IEnumerable<string> lines)
    {
        var line = lines.LastOrDefault(l => l.StartsWith("result {", StringComparison.Ordinal));
        if (line is null)
            return null;
        using var document = JsonDocument.Parse(line["result ".Length..]);
        return document.RootElement.Clone();
    }

    public static long Long(this JsonElement json, string name) => json.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    public static double Double(this JsonElement json, string name) => json.TryGetProperty(name, out var value) ? value.GetDouble() : 0;

    /// <summary>A latency percentile, or null when the tool recorded none: wrk prints 0 then (pipelined batches give it no latency to record), and no real percentile is 0 µs.</summary>
    public static double? Percentile(this JsonElement json, string name) => json.Double(name) is > 0 and var us ? us : null;

    public static string Text(this JsonElement json, string name) => json.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}
