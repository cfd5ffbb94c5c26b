using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The log lines every host writes, defined once so that an app fault reads the same on every engine.
/// </summary>
public static partial class HostLog
{
    /// <summary>The application threw before the response started; the client got a 500.</summary>
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Application failed on {Method} {Path}; answered 500")]
    public static partial void ApplicationFailed(ILogger logger, Exception exception, string method, string path);

    /// <summary>The application (or its body) threw after the response started; the connection was aborted.</summary>
    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Application failed on {Method} {Path} after the response started; connection aborted")]
    public static partial void ApplicationFailedAfterStart(ILogger logger, Exception exception, string method, string path);

    /// <summary>A websocket handler threw; the socket was closed with 1011.</summary>
    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Websocket handler failed; closed with 1011")]
    public static partial void WebSocketHandlerFailed(ILogger logger, Exception exception);

    /// <summary>Writing to a websocket failed for a reason other than the peer going away.</summary>
    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Websocket send failed; connection aborted")]
    public static partial void WebSocketSendFailed(ILogger logger, Exception exception);

    /// <summary>A host started and is listening; <paramref name="connections"/> says how many connections it holds at once, and why.</summary>
    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "HostKit host '{Host}' listening on {Address}, {Connections}")]
    public static partial void Listening(ILogger logger, string host, string address, string connections);

    /// <summary>A connection failed in the host itself (not the application).</summary>
    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Connection {Connection} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string connection);

    /// <summary>A request or connection was refused (malformed, over a limit, the server stopping); rate-limited through <see cref="HostRuntime.Rejected"/>.</summary>
    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Refused with {Status}: {Reason} ({Suppressed} more refusals not logged since the last line)")]
    public static partial void RequestRejected(ILogger logger, int status, RequestRejection reason, long suppressed);

    /// <summary>The request was refused after the application saw it (its body broke the rules, the server is stopping); the client got the rejection's status.</summary>
    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Request refused on {Method} {Path}; answered {Status}")]
    public static partial void RequestRefused(ILogger logger, Exception exception, string method, string path, int status);

    /// <summary>Accepting a connection failed for want of file descriptors; rate-limited through <see cref="HostRuntime.OutOfDescriptors"/>.</summary>
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Out of file descriptors: accepting waits for connections to close ({Suppressed} more failures since the last line). Limit: {Connections}; lower HostKit:Limits:MaxConcurrentConnections or raise ulimit -n")]
    public static partial void OutOfDescriptors(ILogger logger, string connections, long suppressed);

    /// <summary>The client went away while its response was being sent: not the application's fault.</summary>
    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Client went away during the response to {Method} {Path}")]
    public static partial void ClientWentAway(ILogger logger, Exception exception, string method, string path);

    /// <summary>A client's TLS handshake failed (plain HTTP on a TLS port, no common protocol or cipher, too slow): the connection was closed.</summary>
    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "TLS handshake with {Connection} failed: {Reason}; connection closed")]
    internal static partial void TlsHandshakeFailed(ILogger logger, string connection, string reason);

    /// <summary>An engine that accepts every connection itself ran out of descriptors: its listening sockets are gated (the seam's <c>DescriptorGuard</c>); once every ten seconds.</summary>
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Out of file descriptors (limit {Limit}): new connections wait until connections close ({Refusals} failed accepts since the last line). The engine accepts every connection itself; put a proxy that caps connections in front, or raise ulimit -n")]
    internal static partial void EngineOutOfDescriptors(ILogger logger, long limit, long refusals);

    /// <summary>Descriptors are free again after <see cref="EngineOutOfDescriptors"/>: the gate is open.</summary>
    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "File descriptors are free again: accepting new connections")]
    internal static partial void EngineAcceptingAgain(ILogger logger);

    /// <summary>
    /// A websocket's close frame went out and the peer never closed back: its connection, left to end with the request so that
    /// the frame is sent first, is ended now (an engine's abort that throws away unsent bytes: Kestrel's). Usually it is gone already.
    /// </summary>
    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "Websocket close unanswered: its connection ended {Seconds} s after the close frame went out")]
    internal static partial void WebSocketEndedAfterClose(ILogger logger, double seconds);
}
