namespace HostKit.Hosts;

/// <summary>
/// The status and headers an application gave to <see cref="StartResponse"/>, collected and
/// validated the same way for every host. Hosts keep one per connection and <see cref="Reset"/> it
/// between requests, so collecting headers allocates nothing.
/// </summary>
public sealed class ResponseHead
{
    private readonly List<(string Name, string Value)> _headers = new(8);

    /// <summary>Creates an empty head.</summary>
    public ResponseHead() => Start = OnStart;

    /// <summary>The delegate to hand to the application.</summary>
    public StartResponse Start { get; }

    /// <summary>True once the application called <see cref="Start"/>.</summary>
    public bool IsStarted { get; private set; }

    /// <summary>The status code; 200 until started.</summary>
    public int Status { get; private set; } = 200;

    /// <summary>The headers, in the order given.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers => _headers;

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
        Status = 200;
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

    private void OnStart(int status, ReadOnlySpan<(string Name, string Value)> headers)
    {
        if (status is < 100 or > 999)
            throw new ArgumentOutOfRangeException(nameof(status), status, "An HTTP status is a number from 100 to 999.");
        foreach (var (name, value) in headers)
            Validate(name, value);
        _headers.Clear();
        foreach (var header in headers)
            _headers.Add(header);
        Status = status;
        IsStarted = true;
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
