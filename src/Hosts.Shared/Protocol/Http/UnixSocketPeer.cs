using System.Globalization;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// What the application sees of a request that came over a unix domain socket, the same on every host that listens on one
/// (<see cref="HostCapabilities.UnixSockets"/>). Such a peer has no network address and the socket no port, so the values
/// are gunicorn's: <c>REMOTE_ADDR</c> empty and <c>REMOTE_PORT</c> 0, and <c>SERVER_NAME</c>/<c>SERVER_PORT</c> from the
/// host the client addressed. A proxy in front says who the client is with its headers, believed when
/// <c>--forwarded-allow-ips</c> names <c>unix</c> (or <c>*</c>).
/// </summary>
public static class UnixSocketPeer
{
    /// <summary><c>REMOTE_ADDR</c> of a peer on a unix socket: empty, as gunicorn gives it (uvicorn gives no client at all).</summary>
    public const string RemoteAddress = "";

    /// <summary><c>REMOTE_PORT</c> of a peer on a unix socket.</summary>
    public const int RemotePort = 0;

    /// <summary><c>SERVER_NAME</c> when the request names no host (HTTP/1.0 without <c>Host</c>): the socket is on this machine.</summary>
    public const string ServerName = "localhost";

    /// <summary>
    /// <c>SERVER_PORT</c> of a request on a unix socket: the port of the host the client addressed (an absolute-form target,
    /// else <c>Host</c>), else the default port of <paramref name="scheme"/> (80, or 443 for https), as gunicorn does.
    /// </summary>
    public static int ServerPort(string target, string? hostHeader, string scheme)
    {
        ArgumentNullException.ThrowIfNull(target);
        var authority = RequestTarget.AuthorityOf(target) ?? hostHeader;
        var colon = authority?.LastIndexOf(':') ?? -1;
        if (colon > 0 && colon > authority!.LastIndexOf(']') &&
            int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            return port;
        return scheme == "https" ? 443 : 80;
    }
}
