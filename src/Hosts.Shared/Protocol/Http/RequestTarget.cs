namespace HostKit.Hosts.Protocol;

/// <summary>
/// Splits a request target as sent into <c>PATH_INFO</c> and <c>QUERY_STRING</c>, the same way on every
/// host: no percent-decoding, no normalisation, and the absolute form reduced to its path
/// (RFC 9112 section 3.2.2: a server MUST accept <c>GET http://host/path HTTP/1.1</c>).
/// </summary>
public static class RequestTarget
{
    /// <summary>The path and query of <paramref name="target"/>.</summary>
    /// <param name="target">The request target: origin form (<c>/a?b</c>), absolute form (<c>http://h:1/a?b</c>), or <c>*</c>.</param>
    /// <returns>The path (starting with <c>/</c>, or <c>*</c>) and the query without its <c>?</c> (empty when none).</returns>
    public static (string Path, string Query) Split(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var pathStart = AbsoluteFormPathStart(target);
        var question = target.IndexOf('?', pathStart);
        var path = question < 0 ? target[pathStart..] : target[pathStart..question];
        var query = question < 0 ? string.Empty : target[(question + 1)..];
        // "http://h?x=1" and "http://h" have an empty path, which RFC 9110 4.2.3 says is "/".
        return (path.Length == 0 ? "/" : path, query);
    }

    /// <summary>
    /// True when <paramref name="target"/> is visible ASCII only, as RFC 9112 section 3.2 requires (raw UTF-8 must be
    /// percent-encoded): what Raw's head parser checks on the bytes, for an adapter whose engine hands it the target
    /// already decoded to text (HttpListener reads raw bytes as Latin-1). Every host answers such a target 400
    /// (<see cref="RequestRejection.InvalidTarget"/>) rather than guess its encoding.
    /// </summary>
    public static bool IsVisibleAscii(ReadOnlySpan<char> target) => !target.ContainsAnyExceptInRange('!', '~');

    /// <summary>The authority of an absolute-form target (<c>h:1</c> in <c>http://h:1/a</c>), or null for every other form.</summary>
    public static string? AuthorityOf(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var pathStart = AbsoluteFormPathStart(target);
        return pathStart == 0 ? null : target[(target.IndexOf("://", StringComparison.Ordinal) + 3)..pathStart];
    }

    /// <summary>
    /// CGI <c>SERVER_NAME</c>: the host the client addressed, without its port: from an absolute-form target
    /// (which RFC 9112 section 3.2.2 says overrides <c>Host</c>), else from <paramref name="hostHeader"/>,
    /// else <paramref name="localAddress"/>.
    /// </summary>
    public static string ServerName(string target, string? hostHeader, string localAddress)
    {
        var authority = AuthorityOf(target) ?? hostHeader;
        if (string.IsNullOrEmpty(authority))
            return localAddress;
        // Drop the port; keep an IPv6 literal's brackets whole.
        var colon = authority.LastIndexOf(':');
        return colon > 0 && colon > authority.LastIndexOf(']') ? authority[..colon] : authority;
    }

    /// <summary>Where the path of an absolute-form target starts (after scheme and authority); 0 for every other form.</summary>
    private static int AbsoluteFormPathStart(string target)
    {
        if (target.Length == 0 || target[0] == '/' || target == "*")
            return 0;
        var scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
            return 0;
        var authorityStart = scheme + 3;
        var end = target.AsSpan(authorityStart).IndexOfAny('/', '?');
        return end < 0 ? target.Length : authorityStart + end;
    }
}
