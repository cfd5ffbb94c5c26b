namespace HostKit.Chat;

/// <summary>
/// Which web pages may open a chat websocket. A browser always sends <c>Origin</c> with a websocket handshake and
/// lets any page connect anywhere, so without this check a foreign page could talk in a user's name
/// (cross-site websocket hijacking). Clients that are not browsers send no <c>Origin</c> and are let through.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly bool _anyOrigin;
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);

    public OriginPolicy(IEnumerable<string> allowedOrigins)
    {
        foreach (var origin in allowedOrigins)
        {
            if (origin == "*")
                _anyOrigin = true;
            else
                _allowed.Add(Normalize(new Uri(origin, UriKind.Absolute)));
        }
    }

    /// <summary>True when the request has no <c>Origin</c>, or one that is the server's own address or configured.</summary>
    public bool Allows(Environ environ)
    {
        var origin = environ.GetHeader("Origin");
        if (origin is null || _anyOrigin)
            return true;
        // "null" (a sandboxed or file: page) and garbage are foreign.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return false;
        return _allowed.Contains(Normalize(uri)) || IsOwnAddress(uri, environ);
    }

    /// <summary>The page came from the address this request was sent to: the Origin's host:port is the request's <c>Host</c>.</summary>
    private static bool IsOwnAddress(Uri origin, Environ environ)
    {
        var host = environ.GetHeader("Host");
        if (string.IsNullOrEmpty(host))
            return false;
        if (string.Equals(origin.Authority, host, StringComparison.OrdinalIgnoreCase))
            return true;
        // "Host: example.com:80" names the same address as "Origin: http://example.com".
        return Uri.TryCreate($"{origin.Scheme}://{host}", UriKind.Absolute, out var own) &&
            string.Equals(own.Host, origin.Host, StringComparison.OrdinalIgnoreCase) && own.Port == origin.Port;
    }

    private static string Normalize(Uri origin) => origin.GetLeftPart(UriPartial.Authority);
}
