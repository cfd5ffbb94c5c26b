using System.Net;
using System.Net.Sockets;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>Turns a listen URL into the endpoint to bind, with the same rules and messages on every host.</summary>
public static class ListenAddress
{
    /// <summary>The scheme of a unix domain socket address, <c>unix:/run/app/app.sock</c>: gunicorn's bind syntax (<see cref="UnixSocket"/>).</summary>
    public const string UnixScheme = "unix";

    /// <summary>True when <paramref name="url"/> is a unix domain socket address (<c>unix:PATH</c>) rather than <c>http://</c> or <c>https://</c>.</summary>
    public static bool IsUnixSocket(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Scheme == UnixScheme;
    }

    /// <summary>The address of a unix domain socket at <paramref name="path"/> (made absolute against the working directory), as <c>unix:/full/path</c>.</summary>
    public static Uri UnixSocket(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Each segment escaped, so that a '#', '?' or '%' in a file name stays part of the path (UnixSocketPath undoes it).
        var full = Path.GetFullPath(path);
        return new Uri(UnixScheme + ":" + string.Join('/', full.Split('/').Select(Uri.EscapeDataString)));
    }

    /// <summary>The file path of a <c>unix:</c> address (<see cref="UnixSocket"/>).</summary>
    public static string UnixSocketPath(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!IsUnixSocket(url))
            throw new ArgumentException($"'{url}' is not a unix: address.", nameof(url));
        return Uri.UnescapeDataString(url.AbsolutePath);
    }

    /// <summary>
    /// For a host without <see cref="HostCapabilities.UnixSockets"/>: refuses the first <c>unix:</c> address among
    /// <paramref name="urls"/>, saying why the host cannot and which hosts can.
    /// </summary>
    /// <param name="urls">The addresses to serve.</param>
    /// <param name="hostName">The host asking, for the message.</param>
    /// <param name="reason">Why the host listens on TCP only.</param>
    /// <exception cref="HostStartException">An address is a unix socket.</exception>
    public static void RequireTcp(IEnumerable<Uri> urls, string hostName, string reason)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (urls.FirstOrDefault(IsUnixSocket) is { } unix)
            throw new HostStartException($"The {hostName} host cannot listen on {unix}: {reason} (it lacks UnixSockets, see --host list). Choose kestrel, raw, kestrel-transport or uring, or listen on http://.");
    }

    /// <summary>
    /// The address a listener serves, for the start line and <see cref="IRunningServer.Addresses"/>: a <c>unix:</c> address as
    /// given, an IP one with the port the socket was bound to (port 0 resolved).
    /// </summary>
    public static Uri Bound(Uri url, Socket listener)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(listener);
        return IsUnixSocket(url) ? url : new UriBuilder(url.Scheme, url.Host, ((IPEndPoint)listener.LocalEndPoint!).Port).Uri;
    }

    /// <summary>
    /// An address as Kestrel lists it (<c>IServerAddressesFeature</c>): <c>http://unix:/path</c> back to <c>unix:/path</c>,
    /// and <c>[::]</c> as <c>[::1]</c>, an address a client can connect to.
    /// </summary>
    public static Uri FromKestrel(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        const string KestrelUnix = "http://unix:";
        return address.StartsWith(KestrelUnix, StringComparison.Ordinal)
            ? UnixSocket(address[KestrelUnix.Length..])
            : new Uri(address.Replace("[::]", "[::1]", StringComparison.Ordinal));
    }

    /// <summary>The IP endpoint for <paramref name="url"/>: an IP literal, or <c>localhost</c> as 127.0.0.1; port 0 stays 0.</summary>
    /// <param name="url">An <c>http://IP:PORT</c> or <c>https://IP:PORT</c> URL (whether the host serves TLS there is <see cref="ListenAddress.TlsFor"/>'s question).</param>
    /// <param name="hostName">The host asking, for the message.</param>
    /// <exception cref="HostStartException">Neither http nor https, or not an IP address.</exception>
    public static IPEndPoint Parse(Uri url, string hostName)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            throw new HostStartException($"The {hostName} host serves http:// and https:// URLs only, not '{url}'.");
        var address = url.IsLoopback && url.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback
            : IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? ip
            : throw new HostStartException($"'{url.Host}' is not an IP address; listen on an IP such as 127.0.0.1 or 0.0.0.0.");
        return new IPEndPoint(address, url.Port);
    }

    /// <summary>
    /// The options a listener on <paramref name="url"/> serves with: null for <c>http://</c>, <paramref name="options"/>'
    /// <see cref="ServerOptions.Tls"/> for <c>https://</c>.
    /// </summary>
    /// <param name="url">The listen address.</param>
    /// <param name="options">The server's options.</param>
    /// <exception cref="HostStartException">An <c>https://</c> address and no certificate.</exception>
    public static TlsOptions? TlsFor(Uri url, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (url.Scheme != Uri.UriSchemeHttps)
            return null;
        return options.Tls ?? throw new HostStartException(
            $"{url.GetLeftPart(UriPartial.Authority)} asks for TLS, and no certificate is given: give one with --certfile FILE --keyfile FILE (PEM) or --certfile FILE.pfx (PKCS#12), or set ServerOptions.Tls.");
    }

    /// <summary>
    /// For a host without <see cref="HostCapabilities.Tls"/>: refuses the first <c>https://</c> address among
    /// <paramref name="urls"/>, so that none is ever served as plain HTTP, saying why the host cannot and what to do.
    /// </summary>
    /// <param name="urls">The addresses to serve.</param>
    /// <param name="hostName">The host asking, for the message.</param>
    /// <param name="reason">Why the host serves no TLS.</param>
    /// <exception cref="HostStartException">An address is https.</exception>
    public static void RequireHttp(IEnumerable<Uri> urls, string hostName, string reason)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (urls.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps) is { } https)
            throw new HostStartException($"The {hostName} host cannot serve {https}: {reason} (it lacks Tls, see --host list). Choose kestrel or raw, or put a proxy that terminates TLS in front, such as nginx.");
    }

    /// <summary>
    /// A socket bound to <paramref name="url"/> and listening, for a host that owns its sockets. <c>[::]</c> is
    /// dual mode and serves IPv4 clients too, as Kestrel's does (their addresses come as <c>::ffff:a.b.c.d</c>:
    /// see <see cref="RemoteAddress"/>).
    /// </summary>
    /// <param name="url">An <c>http://IP:PORT</c> or <c>https://IP:PORT</c> URL, or a <c>unix:PATH</c> one.</param>
    /// <param name="hostName">The host asking, for the message.</param>
    /// <param name="reusePort">True: other processes may listen on the same port too (<see cref="SharedPort"/>, SO_REUSEPORT), as <see cref="ServerOptions.ReusePort"/> asks.</param>
    /// <param name="backlog">The listen backlog.</param>
    /// <exception cref="HostStartException">The address is malformed or cannot be bound (taken, not local).</exception>
    /// <remarks>A <c>unix:</c> address is bound by <see cref="UnixSocketFile.Listen"/>, with its rules for the socket file.</remarks>
    public static Socket Listen(Uri url, string hostName, bool reusePort = false, int backlog = 1024)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (IsUnixSocket(url))
            return UnixSocketFile.Listen(url, hostName, backlog);
        var endpoint = Parse(url, hostName);
        Socket? socket = null;
        try
        {
            socket = Bind(endpoint, reusePort);
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket?.Dispose();
            throw new HostStartException($"The {hostName} host could not listen on {url}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A TCP socket bound to <paramref name="endpoint"/>, not yet listening: dual mode on <c>[::]</c>, and with
    /// <paramref name="reusePort"/> SO_REUSEPORT set before the bind (<see cref="SharedPort"/>), for an engine that listens on a
    /// socket it is given (Kestrel's <c>CreateBoundListenSocket</c>) as well as for <see cref="Listen"/>.
    /// </summary>
    /// <exception cref="SocketException">The address cannot be bound; the socket is disposed.</exception>
    public static Socket Bind(IPEndPoint endpoint, bool reusePort)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            // Before Bind: SO_REUSEPORT only joins a socket to a port's group when every member set it before binding.
            if (reusePort)
                SharedPort.Allow(socket);
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
