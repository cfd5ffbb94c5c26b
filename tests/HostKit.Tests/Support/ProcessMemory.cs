using System.Globalization;

namespace HostKit.Tests.Support;

/// <summary>Another process's memory as the kernel counts it (<c>/proc/PID/status</c>), as <c>ps</c> or a container's limit sees it.</summary>
internal static class ProcessMemory
{
    /// <summary>The resident set (VmRSS) of <paramref name="pid"/>, in bytes.</summary>
    public static long ResidentBytes(int pid) => Field(pid, "VmRSS:");

    /// <summary>The most the resident set of <paramref name="pid"/> has been since it started (VmHWM), in bytes.</summary>
    public static long PeakResidentBytes(int pid) => Field(pid, "VmHWM:");

    private static long Field(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024; // the kernel counts in kB
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {name} line");
    }
}
