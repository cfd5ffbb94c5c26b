using System.Net;

namespace HostKit.Hosts;

/// <summary>Turns a listen URL into the endpoint to bind, with the same rules and messages on every host.</summary>
public static class ListenAddress
{
    /// <summary>The IP endpoint for <paramref name="url"/>: an IP literal, or <c>localhost</c> as 127.0.0.1; port 0 stays 0.</summary>
    /// <param name="url">An <c>http://IP:PORT</c> URL.</param>
    /// <param name="hostName">The host asking, for the message.</param>
    /// <exception cref="HostStartException">Not http, or not an IP address.</exception>
    public static IPEndPoint Parse(Uri url, string hostName)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttp)
            throw new HostStartException($"The {hostName} host serves http:// URLs only, not '{url}'.");
        var address = url.IsLoopback && url.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback
            : IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? ip
            : throw new HostStartException($"'{url.Host}' is not an IP address; listen on an IP such as 127.0.0.1 or 0.0.0.0.");
        return new IPEndPoint(address, url.Port);
    }
}
