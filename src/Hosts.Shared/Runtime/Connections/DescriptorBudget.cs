using System.Globalization;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The process's file descriptors as a server must plan them: its limit (<c>RLIMIT_NOFILE</c>), how many are open
/// when the host starts (the runtime's own, its assemblies, the log, the listening sockets), and a reserve for what
/// opens later besides connections (assemblies loaded on first use, Redis connections, log files, the runtime's own
/// needs), which must never run short: at the limit, engines spin, the runtime itself aborts ("Out of memory."), and
/// HttpListener's accept loop recurses until the stack overflows. What is left is what connections may take.
/// </summary>
/// <param name="limit">The soft <c>RLIMIT_NOFILE</c> (the .NET runtime raises it to the hard limit at start).</param>
/// <param name="openAtStart">Descriptors open when the host started.</param>
public sealed class DescriptorBudget(long limit, long openAtStart)
{
    /// <summary>The soft <c>RLIMIT_NOFILE</c>.</summary>
    public long Limit { get; } = limit;

    /// <summary>Descriptors open when the host started.</summary>
    public long OpenAtStart { get; } = openAtStart;

    /// <summary>The smallest reserve: enough for a burst of assemblies loaded on first use and a few Redis connections.</summary>
    public const long MinimumReserve = 64;

    /// <summary>Descriptors kept back from connections: a tenth of <see cref="Limit"/>, at least <see cref="MinimumReserve"/>.</summary>
    public long Reserve => Math.Max(MinimumReserve, Limit / 10);

    /// <summary>How many connections fit: <see cref="Limit"/> less <see cref="OpenAtStart"/> and <see cref="Reserve"/>, at least 1.</summary>
    public long Connections => Math.Max(1, Limit - OpenAtStart - Reserve);

    /// <summary>This process's budget, read from <c>/proc/self</c>; null where there is none to read (not Linux) or no limit.</summary>
    public static DescriptorBudget? OfThisProcess()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || ReadLimit(File.ReadLines("/proc/self/limits")) is not { } limit)
                return null;
            return new DescriptorBudget(limit, OpenNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>How many descriptors are free now: <see cref="Limit"/> less those open (0 when they cannot be counted).</summary>
    internal long FreeNow()
    {
        try
        {
            return Limit - OpenNow();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>How many descriptors this process has open now (Linux: the entries of <c>/proc/self/fd</c>).</summary>
    private static long OpenNow() => Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();

    /// <summary>The soft limit in the <c>Max open files</c> line of <c>/proc/self/limits</c>; null when unlimited or absent.</summary>
    internal static long? ReadLimit(IEnumerable<string> limits)
    {
        foreach (var line in limits)
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
                continue;
            var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        return null;
    }
}
