namespace HostKit.Hosts.Protocol;

/// <summary>Whether the client lets the connection carry another request, from its version and <c>Connection</c> header (RFC 9112 section 9.3).</summary>
public static class ClientKeepAlive
{
    /// <summary>HTTP/1.1: unless <c>Connection</c> holds <c>close</c>. HTTP/1.0: only when it holds <c>keep-alive</c> (and not <c>close</c>).</summary>
    public static bool Wanted(bool isHttp11, string? connection) =>
        Wanted(isHttp11, HeaderTokens.Contains(connection, "close"), HeaderTokens.Contains(connection, "keep-alive"));

    /// <summary>The rule itself, for a parser that has already read the tokens <c>close</c> and <c>keep-alive</c> from the <c>Connection</c> header(s).</summary>
    public static bool Wanted(bool isHttp11, bool close, bool keepAlive) => !close && (isHttp11 || keepAlive);
}
