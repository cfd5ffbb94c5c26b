using System.Globalization;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The status and headers an application gave to <see cref="StartResponse"/>, collected and
/// validated the same way for every host. Hosts keep one per connection and <see cref="Reset"/> it
/// between requests, so collecting headers allocates nothing.
/// </summary>
/// <remarks>
/// While collecting, it notes what the <see cref="ResponsePlan"/> needs from the framing headers
/// (<c>Content-Length</c>, <c>Connection: close</c>), so that no host scans the headers for them again.
/// </remarks>
public sealed class ResponseHead
{
    private readonly List<(string Name, string Value)> _headers = [];
    private bool _upgraded;

    /// <summary>Creates an empty head.</summary>
    public ResponseHead() => Start = OnStart;

    /// <summary>The delegate to hand to the application.</summary>
    public StartResponse Start { get; }

    /// <summary>True once the application called <see cref="Start"/>.</summary>
    public bool IsStarted { get; private set; }

    /// <summary>The status code; 200 until started.</summary>
    public int Status { get; private set; } = 200;

    /// <summary>The headers, in the order given, framing headers included (<see cref="ResponsePlan.IsFramingHeader"/> tells which to leave out).</summary>
    public IReadOnlyList<(string Name, string Value)> Headers => _headers;

    /// <summary>The application's <c>Content-Length</c>, validated; null when it gave none.</summary>
    public long? DeclaredContentLength { get; private set; }

    /// <summary>True when the application's <c>Connection</c> header holds the token <c>close</c>.</summary>
    public bool AsksToClose { get; private set; }

    /// <summary>The value of the first header called <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Find(string name)
    {
        foreach (var (n, v) in _headers)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                return v;
        }
        return null;
    }

    /// <summary>Forgets the previous response, for the next request on the connection.</summary>
    public void Reset()
    {
        IsStarted = false;
        _upgraded = false;
        Status = 200;
        DeclaredContentLength = null;
        AsksToClose = false;
        _headers.Clear();
    }

    /// <summary>Sets a response the host makes itself (500 after an app fault, 400 for bad input...).</summary>
    public void Set(int status, string contentType)
    {
        Reset();
        IsStarted = true;
        Status = status;
        _headers.Add(("Content-Type", contentType));
    }

    /// <summary>
    /// Called by the host when the application accepted a websocket: from then on the 101 is the
    /// response, and a later <see cref="Start"/> is an error rather than a response nobody will see.
    /// </summary>
    public void MarkUpgraded() => _upgraded = true;

    private void OnStart(int status, ReadOnlySpan<(string Name, string Value)> headers)
    {
        if (_upgraded)
            throw new InvalidOperationException("The request was upgraded to a websocket; there is no HTTP response left to start.");
        // 1xx are interim answers the host sends itself (100 Continue, 101 for a websocket): as the
        // final answer, the client would go on waiting for a response that never comes.
        if (status is < 200 or > 999)
            throw new ArgumentOutOfRangeException(nameof(status), status, "A response status is a number from 200 to 999 (1xx are sent by the host).");
        long? contentLength = null;
        var close = false;
        foreach (var (name, value) in headers)
        {
            Validate(name, value);
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                contentLength = ParseContentLength(value, contentLength);
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                close |= HeaderTokens.Contains(value, "close");
        }
        _headers.Clear();
        foreach (var header in headers)
            _headers.Add(header);
        Status = status;
        DeclaredContentLength = contentLength;
        AsksToClose = close;
        IsStarted = true;
    }

    private static long ParseContentLength(string value, long? previous)
    {
        var trimmed = value.AsSpan().Trim(' ');
        if (trimmed.IsEmpty || trimmed.ContainsAnyExceptInRange('0', '9') ||
            !long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw new ArgumentException($"Content-Length must be a non-negative integer, not '{value}'.", "headers");
        if (previous is { } other && other != length)
            throw new ArgumentException($"Two different Content-Length values: {other} and {length}.", "headers");
        return length;
    }

    private static void Validate(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, "headers");
        ArgumentNullException.ThrowIfNull(value, "headers");
        foreach (var c in name)
        {
            if (!IsTokenChar(c))
                throw new ArgumentException($"'{name}' is not a valid HTTP header name.", "headers");
        }
        // CR, LF and NUL would let a value end the header and inject a response of its own.
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException($"The value of header '{name}' contains CR, LF or NUL.", "headers");
    }

    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' ||
        "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
