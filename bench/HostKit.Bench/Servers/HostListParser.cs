namespace HostKit.Bench.Servers;

/// <summary>
/// Reads the Demo's <c>--host list</c> table (markdown, one host per row, long cells wrapped onto
/// continuation rows whose first cell is empty), so a host added to the registry is benchmarked
/// without touching this runner.
/// </summary>
internal static class HostListParser
{
    /// <summary>A registered host: its name, engine, and the table's yes/no columns by title.</summary>
    public sealed record HostEntry(string Name, string Engine, IReadOnlyDictionary<string, bool> Capabilities)
    {
        /// <summary>True when the column <paramref name="title"/> says yes (false when absent).</summary>
        public bool Has(string title) => Capabilities.TryGetValue(title, out var yes) && yes;
    }

    public static IReadOnlyList<HostEntry> Parse(string table)
    {
        List<string[]> header = [];
        List<List<string[]>> rows = [];
        int[] widths = [];
        foreach (var raw in table.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('|'))
                continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':')))
            {
                widths = [.. cells.Select(c => c.Length)];
                continue;
            }
            if (widths.Length == 0)
                header.Add(cells);
            else if (cells[0].Length > 0 || rows.Count == 0)
                rows.Add([cells]);
            else
                rows[^1].Add(cells);
        }
        if (header.Count == 0 || widths.Length == 0)
            throw new FormatException("--host list printed no markdown table");
        var titles = Join(header, widths);
        return [.. rows.Select(lines =>
        {
            var cells = Join(lines, widths);
            var capabilities = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            for (var i = 2; i < titles.Length && i < cells.Length; i++)
                capabilities[titles[i]] = cells[i] == "yes";
            return new HostEntry(cells[0], cells.Length > 1 ? cells[1] : "", capabilities);
        })];
    }

    /// <summary>
    /// Joins a wrapped row's lines cell by cell, with a space where the table wrapped at a space; a
    /// fragment that fills its column was cut inside a word ("System.Net.HttpList" + "ener").
    /// </summary>
    private static string[] Join(List<string[]> lines, int[] widths)
    {
        var joined = new string[widths.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            var text = "";
            var previous = "";
            foreach (var fragment in lines.Select(l => i < l.Length ? l[i] : "").Where(f => f.Length > 0))
            {
                text = text.Length == 0 ? fragment : text + (previous.Length >= widths[i] ? "" : " ") + fragment;
                previous = fragment;
            }
            joined[i] = text;
        }
        return joined;
    }
}
