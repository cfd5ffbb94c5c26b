using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>Applies a trusted proxy's headers to a request, once for every host (<see cref="ApplicationInvoker"/> calls it).</summary>
internal static class ProxyHeaders
{
    /// <summary>
    /// <paramref name="environ"/> as the application should see it: unchanged, unless it carries proxy headers from a
    /// peer in <paramref name="trusted"/> (<see cref="ForwardedHeaders"/>). Nothing is read when nobody is trusted,
    /// and a request without proxy headers costs four header look-ups.
    /// </summary>
    public static Environ Apply(Environ environ, TrustedProxies trusted)
    {
        ArgumentNullException.ThrowIfNull(environ);
        ArgumentNullException.ThrowIfNull(trusted);
        if (trusted.IsEmpty)
            return environ;
        var forwarded = environ.GetHeader("Forwarded");
        var forwardedFor = environ.GetHeader("X-Forwarded-For");
        var forwardedProto = environ.GetHeader("X-Forwarded-Proto");
        var forwardedHost = environ.GetHeader("X-Forwarded-Host");
        if (forwarded is null && forwardedFor is null && forwardedProto is null && forwardedHost is null)
            return environ;
        return ForwardedHeaders.Resolve(trusted, environ.RemoteAddress, forwarded, forwardedFor, forwardedProto, forwardedHost) is { } request
            ? new ForwardedEnviron(environ, request)
            : environ;
    }
}
