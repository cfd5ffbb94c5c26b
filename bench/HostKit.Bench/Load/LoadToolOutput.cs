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

    public static string Text(this JsonElement json, string name) => json.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}
