namespace HostKit.Hosts.Protocol;

/// <summary>Whether the client lets the connection carry another request, from its version and <c>Connection</c> header (RFC 9112 section 9.3).</summary>
public static class ClientKeepAlive
{
    /// <summary>HTTP/1.1: unless <c>Connection</c> holds <c>close</c>. HTTP/1.0: only when it holds <c>keep-alive</c> (and not <c>close</c>).</summary>
    public static bool Wanted(bool isHttp11, string? connection)
    {
        var close = false;
        var keepAlive = false;
        if (connection is not null)
        {
            foreach (var range in connection.AsSpan().Split(','))
            {
                var token = connection.AsSpan()[range].Trim(" \t");
                close |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                keepAlive |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
            }
        }
        return !close && (isHttp11 || keepAlive);
    }
}
