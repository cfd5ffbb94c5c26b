using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// What one running server shares with the host kit's pieces: the application, the options, the
/// logger, what is in flight, and the metrics. A host makes one when it starts and hands it to
/// <see cref="ApplicationInvoker"/>, <see cref="RequestPipeline"/>, <see cref="HostWebSocketUpgrade"/> and <see cref="GracefulStop"/>.
/// </summary>
public sealed class HostRuntime
{
    /// <summary>Creates the runtime of a server of host <paramref name="hostName"/> serving <paramref name="application"/>.</summary>
    public HostRuntime(string hostName, Application application, ServerOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        HostName = hostName;
        Application = application;
        Options = options;
        Logger = options.LoggerFactory.CreateLogger("HostKit." + hostName);
        Metrics = new HostMetrics(hostName);
        ConnectionLimit = ConnectionLimit.For(options.Limits, DescriptorBudget.OfThisProcess());
        AccessLog = options.AccessLog is { } format ? new AccessLog(options.LoggerFactory, format) : null;
    }

    /// <summary>The access log, or null when it is off (<see cref="ServerOptions.AccessLog"/>).</summary>
    public AccessLog? AccessLog { get; }

    /// <summary>True when something wants each request's duration: the clock is read only then.</summary>
    public bool TimesRequests => AccessLog is { IsEnabled: true } || HostMetrics.TimesRequests;

    /// <summary>The host's name, as in <c>--host</c>.</summary>
    public string HostName { get; }

    /// <summary>The application served.</summary>
    public Application Application { get; }

    /// <summary>The server's options.</summary>
    public ServerOptions Options { get; }

    /// <summary>The host's logger (category <c>HostKit.NAME</c>).</summary>
    public ILogger Logger { get; }

    /// <summary>Requests and websockets in flight, and whether the server is stopping.</summary>
    public ServerActivity Activity { get; } = new();

    /// <summary>The server's counters, under the <c>HostKit</c> meter.</summary>
    public HostMetrics Metrics { get; }

    /// <summary>
    /// How many connections the server holds open at once: <see cref="HttpLimits.MaxConcurrentConnections"/>, or by
    /// default what the process's file descriptors allow (<see cref="DescriptorBudget"/>), read when the server starts.
    /// </summary>
    public ConnectionLimit ConnectionLimit { get; }

    private readonly RateLimitedLog _refusals = new(perWindow: 10, window: TimeSpan.FromSeconds(10), TimeProvider.System);

    private readonly RateLimitedLog _outOfDescriptors = new(perWindow: 1, window: TimeSpan.FromSeconds(10), TimeProvider.System);

    /// <summary>Reports a refused request or connection: always counted, logged at most ten times every ten seconds.</summary>
    public void Rejected(RequestRejection reason)
    {
        Metrics.Rejected(reason);
        if (_refusals.TryEnter(out var suppressed))
            HostLog.RequestRejected(Logger, RequestRejections.Status(reason), reason, suppressed);
    }

    /// <summary>
    /// Count, then refuse: the one way a host turns away a request before (or instead of) its application. The refusal is
    /// reported (<see cref="Rejected"/>) and <paramref name="response"/> answers it with <see cref="RequestRejections"/>'
    /// status, text and headers, and closes the connection.
    /// </summary>
    public ValueTask RefuseAsync<TResponse>(RequestRejection reason, TResponse response)
        where TResponse : IHostResponse
    {
        ArgumentNullException.ThrowIfNull(response);
        Rejected(reason);
        return response.RejectAsync(reason);
    }

    /// <summary>
    /// Logs the start line for each of <paramref name="addresses"/> the server listens on, with how many connections it
    /// holds at once (<see cref="ConnectionLimit"/>), or <paramref name="connections"/> for an engine that decides that
    /// itself (<c>DescriptorGuard.StartLine</c>).
    /// </summary>
    /// <param name="addresses">The addresses the server listens on, as it reports them.</param>
    /// <param name="connections">What the line says of connections, when not <see cref="ConnectionLimit"/>'s description.</param>
    public void Listening(IEnumerable<Uri> addresses, string? connections = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses)
            HostLog.Listening(Logger, HostName, address.ToString(), connections ?? ConnectionLimit.Description);
    }

    /// <summary>
    /// Reports that accepting a connection failed for want of file descriptors (EMFILE, ENFILE): logged once every ten
    /// seconds, without a stack, since the next attempt fails the same way until connections close.
    /// </summary>
    public void OutOfDescriptors()
    {
        if (_outOfDescriptors.TryEnter(out var suppressed))
            HostLog.OutOfDescriptors(Logger, ConnectionLimit.Description, suppressed);
    }
}
