using System.Diagnostics;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// One <see cref="Activity"/> per request under the <see cref="SourceName"/> source, continuing an incoming W3C
/// <c>traceparent</c> (and <c>tracestate</c>), with OpenTelemetry's HTTP server span tags. The application runs inside
/// it, so its own activities and outgoing calls join the trace. Nothing is made when nobody listens.
/// </summary>
public static class RequestTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "HostKit";

    private static readonly ActivitySource Source = new(SourceName, typeof(RequestTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the request's activity, or returns null when nobody listens or no listener samples it.</summary>
    public static Activity? Start(Environ environ)
    {
        ArgumentNullException.ThrowIfNull(environ);
        if (!Source.HasListeners())
            return null;
        // A malformed traceparent is ignored: the request starts a trace of its own.
        ActivityContext.TryParse(environ.GetHeader("traceparent"), environ.GetHeader("tracestate"), isRemote: true, out var parent);
        var activity = Source.StartActivity(environ.RequestMethod, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", environ.RequestMethod);
            activity.SetTag("url.path", environ.PathInfo);
            activity.SetTag("url.scheme", environ.UrlScheme);
            activity.SetTag("client.address", environ.RemoteAddress);
            activity.SetTag("server.address", environ.ServerName);
            activity.SetTag("server.port", environ.ServerPort);
            activity.SetTag("user_agent.original", environ.GetHeader("User-Agent"));
        }
        return activity;
    }

    /// <summary>Ends <paramref name="activity"/> for a response with <paramref name="status"/> (0: none was sent; 101: a websocket session).</summary>
    public static void Stop(Activity? activity, int status)
    {
        if (activity is null)
            return;
        if (status != 0)
            activity.SetTag("http.response.status_code", status);
        if (status is 0 or >= 500)
            activity.SetStatus(ActivityStatusCode.Error);
        activity.Stop();
    }
}
