using System.Diagnostics;
using System.Diagnostics.Metrics;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The counters every host reports, under one meter (<see cref="MeterName"/>) with the same names on
/// every host, each tagged with the host's name: read them with
/// <c>dotnet-counters monitor -n APP --counters HostKit</c>, or any <see cref="MeterListener"/>.
/// </summary>
/// <remarks>An instrument nobody listens to costs a branch: the hot path pays nothing when metrics are off.</remarks>
public sealed class HostMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HostKit";

    private static readonly Meter Meter = new(MeterName, typeof(HostMetrics).Assembly.GetName().Version?.ToString());
    private static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>("hostkit.connections.opened", "{connection}", "Connections accepted.");
    private static readonly UpDownCounter<long> ConnectionsActive = Meter.CreateUpDownCounter<long>("hostkit.connections.active", "{connection}", "Connections open now.");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("hostkit.requests", "{request}", "Requests answered, by status.");
    private static readonly UpDownCounter<long> RequestsActive = Meter.CreateUpDownCounter<long>("hostkit.requests.active", "{request}", "Requests whose application runs or whose response is being sent.");
    private static readonly Counter<long> WebSocketsOpened = Meter.CreateCounter<long>("hostkit.websockets.opened", "{websocket}", "Websockets accepted.");
    private static readonly UpDownCounter<long> WebSocketsActive = Meter.CreateUpDownCounter<long>("hostkit.websockets.active", "{websocket}", "Websockets open now.");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("hostkit.rejections", "{request}", "Requests and connections refused, by reason.");

    // OpenTelemetry's HTTP server semantic conventions, so dashboards built for them show HostKit too.
    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram("http.server.request.duration", "s", "Duration of HTTP server requests.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });

    private static readonly UpDownCounter<long> ActiveRequests = Meter.CreateUpDownCounter<long>("http.server.active_requests", "{request}", "Number of active HTTP server requests.");

    private readonly KeyValuePair<string, object?> _host;

    /// <summary>True when someone listens to <c>http.server.request.duration</c>: only then is the clock read for it.</summary>
    public static bool TimesRequests => RequestDuration.Enabled;

    /// <summary>
    /// An HTTP request was answered with <paramref name="status"/> after <paramref name="seconds"/>: recorded in
    /// <c>http.server.request.duration</c> with the semantic conventions' tags (method, scheme, status, protocol version).
    /// </summary>
    public void RequestAnswered(string method, string scheme, string protocol, int status, double seconds)
    {
        if (!RequestDuration.Enabled)
            return;
        var tags = new TagList
        {
            _host,
            { "http.request.method", method },
            { "url.scheme", scheme },
            { "network.protocol.version", protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? protocol[5..] : protocol },
        };
        if (status != 0)
            tags.Add("http.response.status_code", status);
        RequestDuration.Record(seconds, tags);
    }

    /// <summary>Counters tagged <c>host=<paramref name="hostName"/></c>.</summary>
    public HostMetrics(string hostName) => _host = new("host", hostName);

    /// <summary>A connection was accepted.</summary>
    public void ConnectionOpened()
    {
        ConnectionsOpened.Add(1, _host);
        ConnectionsActive.Add(1, _host);
    }

    /// <summary>A connection closed.</summary>
    public void ConnectionClosed() => ConnectionsActive.Add(-1, _host);

    /// <summary>
    /// A request's application started: counted in <c>hostkit.requests.active</c>, and in <c>http.server.active_requests</c>
    /// with the convention's tags from <paramref name="request"/> (its method and scheme, after trusted proxy headers).
    /// </summary>
    public void RequestStarted(Environ request)
    {
        RequestsActive.Add(1, _host);
        if (ActiveRequests.Enabled)
            ActiveRequests.Add(1, ActiveTags(request));
    }

    /// <summary>
    /// A request ended with <paramref name="status"/> (0 when it had no HTTP response: a websocket, an abort);
    /// <paramref name="request"/> is the one <see cref="RequestStarted"/> was given, so both counts carry the same tags.
    /// </summary>
    public void RequestEnded(int status, Environ request)
    {
        RequestsActive.Add(-1, _host);
        if (ActiveRequests.Enabled)
            ActiveRequests.Add(-1, ActiveTags(request));
        if (Requests.Enabled)
            Requests.Add(1, _host, new("status", status));
    }

    /// <summary>The tags the convention requires on <c>http.server.active_requests</c>, and the host's.</summary>
    private TagList ActiveTags(Environ request) => new()
    {
        _host,
        { "http.request.method", request.RequestMethod },
        { "url.scheme", request.UrlScheme },
    };

    /// <summary>A websocket was accepted.</summary>
    public void WebSocketOpened()
    {
        WebSocketsOpened.Add(1, _host);
        WebSocketsActive.Add(1, _host);
    }

    /// <summary>A websocket closed.</summary>
    public void WebSocketClosed() => WebSocketsActive.Add(-1, _host);

    /// <summary>A request or connection was refused for <paramref name="reason"/>.</summary>
    public void Rejected(RequestRejection reason)
    {
        if (Rejections.Enabled)
            Rejections.Add(1, _host, new("reason", reason.ToString()));
    }
}
