using System.Runtime.InteropServices;

namespace HostKit.Bench.Report;

/// <summary>The machine a run was measured on, as results.json and the report state it.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Kernel, string OperatingSystem, string DotNet, string MemoryTotal, string LoadAverageAtStart)
{
    public static MachineInfo Read() => new(
        ReadField("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        ReadAll("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        ReadField("/proc/meminfo", "MemTotal", ':') ?? "?",
        ReadAll("/proc/loadavg") ?? "?");

    /// <summary>The 1, 5 and 15 minute load averages now: shows whether something else was using the machine.</summary>
    public static string LoadAverage() => ReadAll("/proc/loadavg") ?? "?";

    private static string? ReadAll(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? ReadField(string path, string name, char separator) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(name, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(separator) + 1)..].Trim()).FirstOrDefault()
            : null;
}
