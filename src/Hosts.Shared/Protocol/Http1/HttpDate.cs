using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The <c>Date</c> header line, formatted at most once a second and shared by every connection
/// (every origin server with a clock must send it, RFC 9110 section 6.6.1).
/// </summary>
internal static class HttpDate
{
    private static byte[] s_line = Format(DateTimeOffset.UtcNow);
    private static long s_second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary><c>Date: ...\r\n</c> for the current second.</summary>
    public static ReadOnlySpan<byte> HeaderLine
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            var second = now.ToUnixTimeSeconds();
            if (second != Volatile.Read(ref s_second))
            {
                Volatile.Write(ref s_line, Format(now));
                Volatile.Write(ref s_second, second);
            }
            return Volatile.Read(ref s_line);
        }
    }

    private static byte[] Format(DateTimeOffset now) => Encoding.ASCII.GetBytes($"Date: {now:R}\r\n");
}
