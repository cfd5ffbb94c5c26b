using System.Text;

namespace HostKit.Fuzz;

/// <summary>Makes fuzzed bytes readable in an oracle's message: CR, LF and other controls escaped, the rest as Latin-1.</summary>
internal static class Printable
{
    public static string Escape(ReadOnlySpan<byte> bytes) => Escape(Encoding.Latin1.GetString(bytes));

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\r' => builder.Append("\\r"),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                '\\' => builder.Append("\\\\"),
                < ' ' or (>= '\x7f' and <= '\xa0') => builder.Append($"\\x{(int)c:x2}"),
                _ => builder.Append(c),
            };
        }
        return builder.ToString();
    }
}
