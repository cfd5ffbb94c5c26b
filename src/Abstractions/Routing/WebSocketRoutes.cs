using System.Text;

namespace HostKit;

/// <summary>
/// Websocket routing middleware, after the WSGI websocket middlewares: an upgrade request to a
/// mapped path goes to its handler; every other request falls through to the wrapped application.
/// </summary>
/// <remarks>
/// A plain request to a websocket path gets 426 Upgrade Required with a short text body;
/// an upgrade to a path with no route gets 404. Paths match <see cref="Environ.PathInfo"/> exactly.
/// </remarks>
public sealed class WebSocketRoutes
{
    private static readonly byte[] UpgradeRequiredBody = Encoding.UTF8.GetBytes("426 Upgrade Required: this is a websocket endpoint; connect with a websocket client.\n");

    private readonly Dictionary<string, (WebSocketHandler Handler, WebSocketRouteOptions Options)> _routes = new(StringComparer.Ordinal);

    /// <summary>Maps <paramref name="path"/> to a handler that needs only the socket.</summary>
    public WebSocketRoutes Map(string path, Func<IWebSocket, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(path, (socket, _) => handler(socket));
    }

    /// <summary>Maps <paramref name="path"/> to a handler that also sees the upgrade request.</summary>
    /// <exception cref="ArgumentException">The path does not start with <c>/</c> or is already mapped.</exception>
    public WebSocketRoutes Map(string path, WebSocketHandler handler, WebSocketRouteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(handler);
        if (!path.StartsWith('/'))
            throw new ArgumentException($"A route path starts with '/': '{path}'.", nameof(path));
        if (!_routes.TryAdd(path, (handler, options ?? new WebSocketRouteOptions())))
            throw new ArgumentException($"'{path}' is already mapped.", nameof(path));
        return this;
    }

    /// <summary>Returns an application that serves the mapped websocket routes and passes everything else to <paramref name="next"/>.</summary>
    public Application Wrap(Application next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return (environ, start) =>
        {
            if (!_routes.TryGetValue(environ.PathInfo, out var route))
            {
                if (environ.WebSocket is not null)
                {
                    start(404, [("Content-Type", "text/plain; charset=utf-8")]);
                    return Body.Of($"404 Not Found: no websocket route at {environ.PathInfo}\n");
                }
                return next(environ, start);
            }
            if (environ.WebSocket is not { } upgrade)
            {
                start(426, [("Content-Type", "text/plain; charset=utf-8"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13")]);
                return Body.Of(UpgradeRequiredBody);
            }
            return route.Options.Authorize is null
                ? AcceptAndServe(route.Handler, route.Options, upgrade, environ)
                : ServeAsync(route.Handler, route.Options, upgrade, environ, start);
        };
    }

    /// <summary>
    /// Accepts and runs the handler (a route without an authorization check comes here directly), and when the accept completes at once (as it
    /// does on the hosts that own their connection) waits for the handler with nothing else suspended. An idle
    /// websocket waits here for its whole life, so what this keeps is kept per connection.
    /// </summary>
    private static ValueTask<Body> AcceptAndServe(WebSocketHandler handler, WebSocketRouteOptions options, WebSocketUpgrade upgrade, Environ environ)
    {
        try
        {
            var accepting = upgrade.AcceptAsync(FirstOffered(options.SubProtocols, upgrade.RequestedSubProtocols), options.MaxMessageBytes);
            if (!accepting.IsCompletedSuccessfully)
                return ServeAcceptingAsync(handler, accepting, environ);
            var serving = handler(accepting.Result, environ);
            return serving.IsCompletedSuccessfully ? ValueTask.FromResult(Body.Empty) : AwaitHandlerAsync(serving);
        }
        catch (Exception ex)
        {
            // As from an async method: the failure is the task's, however early it came.
            return ValueTask.FromException<Body>(ex);
        }
    }

    private static async ValueTask<Body> ServeAcceptingAsync(WebSocketHandler handler, ValueTask<IWebSocket> accepting, Environ environ)
    {
        await handler(await accepting, environ);
        return Body.Empty;
    }

    private static async ValueTask<Body> AwaitHandlerAsync(ValueTask serving)
    {
        await serving;
        return Body.Empty;
    }

    private static async ValueTask<Body> ServeAsync(WebSocketHandler handler, WebSocketRouteOptions options, WebSocketUpgrade upgrade, Environ environ, StartResponse start)
    {
        if (options.Authorize is { } authorize && await authorize(environ) is { } refusal)
        {
            start(refusal.Status, [("Content-Type", "text/plain; charset=utf-8")]);
            return Body.Of(refusal.Message);
        }
        return await AcceptAndServe(handler, options, upgrade, environ);
    }

    /// <summary>The first of the route's subprotocols that the client offered, or null.</summary>
    /// <remarks>Loops, not LINQ: this runs for every websocket, and a lambda over <paramref name="offered"/> was an allocation each.</remarks>
    private static string? FirstOffered(IReadOnlyList<string> supported, IReadOnlyList<string> offered)
    {
        for (var i = 0; i < supported.Count; i++)
        {
            for (var j = 0; j < offered.Count; j++)
            {
                if (string.Equals(supported[i], offered[j], StringComparison.Ordinal))
                    return supported[i];
            }
        }
        return null;
    }
}
