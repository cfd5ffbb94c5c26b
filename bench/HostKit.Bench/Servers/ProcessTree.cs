using System.Globalization;

namespace HostKit.Bench.Servers;

/// <summary>
/// Reads a server's resource use from /proc, summed over the process and its descendants (gunicorn
/// and uWSGI serve from forked workers, so the server is the whole tree).
/// </summary>
internal static class ProcessTree
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, which Linux fixes at 100 for /proc

    /// <summary>The process and every descendant alive now.</summary>
    public static IReadOnlyList<int> Members(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            if (ReadStat(pid) is { } fields)
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        var members = new List<int> { root };
        for (var i = 0; i < members.Count; i++)
            members.AddRange(parents.Where(p => p.Value == members[i]).Select(p => p.Key));
        return members;
    }

    /// <summary>User plus system CPU seconds used so far by the tree.</summary>
    public static double CpuSeconds(int root) => Members(root).Sum(pid => ReadStat(pid) is { } f
        ? (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / TicksPerSecond
        : 0);

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public static long ResidentBytes(int root) => Members(root).Sum(pid => StatusKilobytes(pid, "VmRSS:") * 1024);

    /// <summary>Peak resident memory since the last <see cref="ResetPeak"/> (VmHWM), in bytes.</summary>
    public static long PeakResidentBytes(int root) => Members(root).Sum(pid => StatusKilobytes(pid, "VmHWM:") * 1024);

    /// <summary>
    /// Resets VmHWM to the current RSS (writing 5 to clear_refs), so each workload's peak is its own and
    /// not the 10,000 idle websockets measured first. False when the kernel refuses.
    /// </summary>
    public static bool ResetPeak(int root)
    {
        var all = true;
        foreach (var pid in Members(root))
        {
            try
            {
                File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                all = false;
            }
        }
        return all;
    }

    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces): [0] is the state, [1] the parent.</summary>
    private static string[]? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile
        }
    }

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
