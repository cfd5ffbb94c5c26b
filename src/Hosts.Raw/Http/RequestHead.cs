using System.Text;

namespace HostKit.Hosts.Raw.Http;

/// <summary>
/// A parsed request line and header block. The parser copies the header bytes here and records
/// where each name and value lies, so strings are made only for what the application asks for.
/// One instance serves every request on a connection.
/// </summary>
internal sealed class RequestHead
{
    private byte[] _bytes = new byte[512];
    private HeaderRange[] _headers = new HeaderRange[16];
    private string? _previousTarget;

    public string Method { get; private set; } = "GET";

    /// <summary>The request target as sent (origin form: path and query).</summary>
    public string Target { get; private set; } = "/";

    public HttpVersion Version { get; private set; }

    public int HeaderCount { get; private set; }

    /// <summary>The declared Content-Length, or null.</summary>
    public long? ContentLength { get; internal set; }

    /// <summary>True when the body is <c>Transfer-Encoding: chunked</c>.</summary>
    public bool IsChunked { get; internal set; }

    /// <summary>True when the connection may carry another request after this one.</summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>True when the client sent <c>Expect: 100-continue</c>.</summary>
    public bool ExpectContinue { get; internal set; }

    /// <summary>True when the client asked to switch to websocket (<c>Upgrade: websocket</c> and <c>Connection: upgrade</c>).</summary>
    public bool WantsWebSocket { get; internal set; }

    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>Forgets the previous request's head.</summary>
    internal void Begin()
    {
        HeaderCount = 0;
        ContentLength = null;
        IsChunked = KeepAlive = ExpectContinue = WantsWebSocket = false;
    }

    /// <summary>Keeps a copy of the head's bytes, which the header ranges point into.</summary>
    internal void CopyBytes(ReadOnlySpan<byte> head)
    {
        if (_bytes.Length < head.Length)
            _bytes = new byte[Math.Max(head.Length, _bytes.Length * 2)];
        head.CopyTo(_bytes);
    }

    internal void SetRequestLine(string method, ReadOnlySpan<byte> target, HttpVersion version)
    {
        Method = method;
        // Clients send the same target again and again on a connection: reuse its string.
        Target = _previousTarget is { } previous && target.Length == previous.Length && Ascii.Equals(target, previous)
            ? previous
            : _previousTarget = Encoding.ASCII.GetString(target);
        Version = version;
    }

    internal void AddHeader(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (HeaderCount == _headers.Length)
            Array.Resize(ref _headers, _headers.Length * 2);
        _headers[HeaderCount++] = new HeaderRange(nameStart, nameLength, valueStart, valueLength);
    }

    public ReadOnlySpan<byte> Name(int index) => _bytes.AsSpan(_headers[index].NameStart, _headers[index].NameLength);

    public ReadOnlySpan<byte> Value(int index) => _bytes.AsSpan(_headers[index].ValueStart, _headers[index].ValueLength);

    /// <summary>The value of header <paramref name="name"/> (case-insensitive); repeated headers joined with ", "; null when absent.</summary>
    public string? GetHeader(string name)
    {
        string? result = null;
        for (var i = 0; i < HeaderCount; i++)
        {
            if (!Ascii.EqualsIgnoreCase(Name(i), name))
                continue;
            var value = Encoding.Latin1.GetString(Value(i));
            result = result is null ? value : $"{result}, {value}";
        }
        return result;
    }

    /// <summary>Every header, repeated ones joined, in first-seen order.</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < HeaderCount; i++)
        {
            var name = Encoding.ASCII.GetString(Name(i));
            if (seen.Add(name))
                yield return KeyValuePair.Create(name, GetHeader(name)!);
        }
    }

    private readonly record struct HeaderRange(int NameStart, int NameLength, int ValueStart, int ValueLength);
}
