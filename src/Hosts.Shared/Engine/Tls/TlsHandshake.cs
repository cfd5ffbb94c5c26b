using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// TLS for a host that owns its connection's stream (Raw, the minimal host): wrap the stream before the first
/// read (<see cref="Wrap"/>), then run the server's side of the handshake (<see cref="AuthenticateAsync"/>) before the
/// first request head. A handshake counts against <see cref="HttpLimits.RequestHeadersTimeout"/>, so a client that
/// never finishes one is cut off as a slow head is (slowloris); one that fails (a plain-HTTP request on a TLS port, an
/// unsupported protocol or cipher) closes the connection and never reaches the application.
/// </summary>
public static class TlsHandshake
{
    /// <summary>The stream to speak HTTP over: <paramref name="connection"/> itself without TLS, else a TLS stream over it that owns it, not yet authenticated.</summary>
    /// <param name="connection">The accepted connection's stream.</param>
    /// <param name="tls">The listener's TLS options (<see cref="ListenAddress.TlsFor"/>), or null for plain HTTP.</param>
    public static Stream Wrap(Stream connection, TlsOptions? tls) => tls is null ? connection : new SslStream(connection, leaveInnerStreamOpen: false);

    /// <summary>
    /// Runs the server's side of the handshake when <paramref name="stream"/> is a TLS stream from <see cref="Wrap"/>; a
    /// plain stream passes at once. False when the handshake failed or outlasted the head timeout: the failure is logged
    /// at Debug, and the caller closes the connection.
    /// </summary>
    /// <param name="stream">The stream <see cref="Wrap"/> returned.</param>
    /// <param name="tls">The options it was wrapped with.</param>
    /// <param name="runtime">The server: its limits and its log.</param>
    /// <param name="remote">The client, for the log.</param>
    /// <param name="aborted">Signalled when the server drops the connection.</param>
    public static async ValueTask<bool> AuthenticateAsync(Stream stream, TlsOptions? tls, HostRuntime runtime, EndPoint remote, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (stream is not SslStream ssl || tls is null)
            return true;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (runtime.Options.Limits.RequestHeadersTimeout != Timeout.InfiniteTimeSpan)
            deadline.CancelAfter(runtime.Options.Limits.RequestHeadersTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(tls.CreateAuthenticationOptions(), deadline.Token);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            HostLog.TlsHandshakeFailed(runtime.Logger, remote.ToString() ?? "?", ex is OperationCanceledException ? "not finished within the head timeout" : ex.Message);
            return false;
        }
    }
}
