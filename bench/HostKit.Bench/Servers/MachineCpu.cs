using System.Globalization;

namespace HostKit.Bench.Servers;

/// <summary>
/// The whole machine's busy CPU time from /proc/stat. Subtracting the server's and the load
/// generator's own CPU from it over a measurement window leaves what everything else used: the
/// direct sign of a shared machine. The load average says the same thing too late: it is a
/// one-minute moving average, while a window lasts a few seconds.
/// </summary>
internal static class MachineCpu
{
    private const double TicksPerSecond = 100; // USER_HZ, which Linux fixes at 100 for /proc

    /// <summary>
    /// CPU seconds all cores have spent busy since boot: user, nice, system and steal (a hypervisor
    /// that gave the core to another machine). Interrupt and softirq time is left out: loopback
    /// traffic is processed there, so it belongs to the benchmark itself, yet is not charged to
    /// either process.
    /// </summary>
    public static double BusySeconds()
    {
        var line = File.Exists("/proc/stat") ? File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal)) : null;
        if (line is null)
            return 0;
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal
        return (ticks[0] + ticks[1] + ticks[2] + (ticks.Length > 7 ? ticks[7] : 0)) / TicksPerSecond;
    }
}
