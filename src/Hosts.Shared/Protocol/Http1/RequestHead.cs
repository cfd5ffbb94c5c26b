using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// A parsed request line and header block. The parser copies each header line here as it completes
/// and records where each name and value lies, so strings are made only for what the application
/// asks for. One instance serves every request on a connection.
/// </summary>
public sealed class RequestHead
{
    // Sized for the small heads API clients, load tools and websocket handshakes send (a handful of headers, well
    // under 256 bytes); a browser's larger head grows them once, and the connection keeps them for its next requests.
    private byte[] _bytes = new byte[256];
    private int _length;
    private HeaderRange[] _headers = new HeaderRange[8];
    private string? _previousTarget;

    /// <summary>The method as sent, e.g. <c>GET</c>.</summary>
    public string Method { get; private set; } = "GET";

    /// <summary>The request target as sent: origin form (<c>/path?query</c>), absolute form, or <c>*</c>.</summary>
    public string Target { get; private set; } = "/";

    /// <summary>The HTTP version of the request.</summary>
    public HttpVersion Version { get; private set; }

    /// <summary>How many header fields the head has.</summary>
    public int HeaderCount { get; private set; }

    /// <summary>The declared <c>Content-Length</c>, or null.</summary>
    public long? ContentLength { get; internal set; }

    /// <summary>True when the body is <c>Transfer-Encoding: chunked</c>.</summary>
    public bool IsChunked { get; internal set; }

    /// <summary>True when the client lets the connection carry another request after this one.</summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>True when the client sent <c>Expect: 100-continue</c> (HTTP/1.1 only).</summary>
    public bool ExpectContinue { get; internal set; }

    /// <summary>True when the client asked to switch to websocket (<c>Upgrade: websocket</c> and <c>Connection: upgrade</c>).</summary>
    public bool WantsWebSocket { get; internal set; }

    /// <summary>True when a body follows the head.</summary>
    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>True for a HEAD request.</summary>
    public bool IsHead => Method == "HEAD";

    /// <summary>What the response plan needs to know of this request.</summary>
    public RequestSummary Summary(bool hostKeepsConnection) =>
        new(IsHead, Version == HttpVersion.Http11, KeepAlive && hostKeepsConnection);

    /// <summary>The name of header <paramref name="index"/>, as sent.</summary>
    public ReadOnlySpan<byte> Name(int index) => _bytes.AsSpan(_headers[index].NameStart, _headers[index].NameLength);

    /// <summary>The value of header <paramref name="index"/>, without surrounding whitespace.</summary>
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

    /// <summary>
    /// Shrinks the storage to this head, which is the last one it holds (the connection switched protocols), where
    /// that frees enough to be worth a copy.
    /// </summary>
    internal void Compact()
    {
        if (_bytes.Length - _length > 256)
            Array.Resize(ref _bytes, _length);
        if (_headers.Length - HeaderCount > 8)
            Array.Resize(ref _headers, HeaderCount);
    }

    /// <summary>Forgets the previous request's head.</summary>
    internal void Begin()
    {
        HeaderCount = 0;
        _length = 0;
        ContentLength = null;
        IsChunked = KeepAlive = ExpectContinue = WantsWebSocket = false;
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

    /// <summary>Keeps a header line (without its CRLF): its bytes are copied, and the name and value located in the copy.</summary>
    internal void AddHeader(ReadOnlySpan<byte> line, int nameLength, int valueStart, int valueLength)
    {
        if (_length + line.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_length + line.Length, _bytes.Length * 2));
        line.CopyTo(_bytes.AsSpan(_length));
        if (HeaderCount == _headers.Length)
            Array.Resize(ref _headers, _headers.Length * 2);
        _headers[HeaderCount++] = new HeaderRange(_length, nameLength, _length + valueStart, valueLength);
        _length += line.Length;
    }

    private readonly record struct HeaderRange(int NameStart, int NameLength, int ValueStart, int ValueLength);
}
