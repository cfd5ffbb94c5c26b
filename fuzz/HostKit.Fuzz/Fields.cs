using System.Text;

namespace HostKit.Fuzz;

/// <summary>
/// Splits an input into LF-separated fields (Latin-1, as the Raw host decodes header values), for targets
/// whose surface takes strings rather than bytes. A missing field is null: "no such header".
/// </summary>
internal sealed class Fields(ReadOnlySpan<byte> input)
{
    private readonly string[] _fields = Encoding.Latin1.GetString(input).Split('\n');

    public string? this[int index] => index < _fields.Length ? _fields[index] : null;
}
