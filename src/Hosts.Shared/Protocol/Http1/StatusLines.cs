using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>Status lines (<c>HTTP/1.1 200 OK\r\n</c>), made once per status and kept.</summary>
internal static class StatusLines
{
    private static readonly byte[]?[] Cache = new byte[1000][];

    public static ReadOnlySpan<byte> For(int status) =>
        Cache[status] ??= Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {StatusReasons.Phrase(status)}\r\n");
}
