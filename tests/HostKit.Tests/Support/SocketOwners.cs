using System.Globalization;

namespace HostKit.Tests.Support;

/// <summary>
/// Which process holds which TCP connection, read from Linux's /proc: a process's open sockets (/proc/PID/fd) matched
/// with the kernel's connection table (/proc/net/tcp, tcp6). Tells a test which node (or worker) serves a client
/// behind nginx or SO_REUSEPORT, where nothing on the wire says so.
/// </summary>
public static class SocketOwners
{
    private const string Established = "01";

    /// <summary>How many established connections process <paramref name="pid"/> holds on its local port <paramref name="port"/>.</summary>
    public static int EstablishedOnPort(int pid, int port)
    {
        var sockets = SocketInodes(pid);
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = columns[1];
                var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (columns[3] == Established && localPort == port && sockets.Contains(columns[9]))
                    count++;
            }
        }
        return count;
    }

    private static HashSet<string> SocketInodes(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }
        return inodes;
    }
}
