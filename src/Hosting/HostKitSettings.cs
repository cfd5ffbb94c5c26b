using System.Globalization;
using HostKit.Hosts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosting;

/// <summary>
/// What the runner was asked to do, read from the <c>HostKit</c> configuration section
/// (json file, then <c>HOSTKIT_*</c> environment variables, then the command line).
/// </summary>
public sealed record HostKitSettings
{
    /// <summary>The default address: loopback, port 8000.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:8000");

    /// <summary>The host name, or null for the registry's default.</summary>
    public string? Host { get; init; }

    /// <summary>Where to listen.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [DefaultUrl];

    /// <summary>The minimum log level.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Request limits.</summary>
    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>Websocket limits and keep-alive.</summary>
    public WebSocketOptions WebSockets { get; init; } = WebSocketOptions.Default;

    /// <summary>How many processes serve the application on the same addresses (<c>--workers</c>, <c>HostKit:Workers</c>). Default 1.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// This process's number under a <c>--workers</c> supervisor (<c>HostKit:Worker:Id</c>, set by the supervisor with
    /// <c>HOSTKIT_WORKER__ID</c>, as it sets <c>HostKit:Worker:Urls</c> to the addresses it reserved); null otherwise.
    /// </summary>
    public int? WorkerId { get; init; }

    /// <summary>True for the <c>--workers</c> supervisor: it starts and watches workers instead of serving.</summary>
    public bool IsSupervisor => Workers > 1 && WorkerId is null;

    /// <summary>The largest <see cref="Workers"/>: far more than cores on any machine HostKit runs on, and few enough to catch a typo.</summary>
    public const int MaxWorkers = 64;

    /// <summary>How long a graceful stop lets requests in flight finish (<c>HostKit:ShutdownTimeout</c>, e.g. <c>00:00:30</c>). Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = new ServerOptions().ShutdownTimeout;

    /// <summary>
    /// True (<c>HostKit:UnsafeInlineIo</c>): the socket engine runs I/O continuations on its own thread instead of handing
    /// them to the thread pool (the runner sets <see cref="InlineSocketIo.EnvironmentVariable"/> before any socket is used).
    /// On one core that saves a thread switch per read. On raw and httplistener the application then runs on that thread
    /// too, so one that blocks (<c>.Result</c>, <c>Thread.Sleep</c>) stalls every connection, and those hosts refuse
    /// synchronous request body reads; Kestrel still runs the application on the thread pool. Default false.
    /// </summary>
    public bool UnsafeInlineIo { get; init; }

    /// <summary>
    /// The peers whose proxy headers are believed (<c>--forwarded-allow-ips</c>, <c>HostKit:ForwardedAllowIps</c>): addresses
    /// and CIDR ranges separated by commas, <c>*</c> for all, empty for none. Default 127.0.0.1, as uvicorn.
    /// </summary>
    public TrustedProxies ForwardedAllowIps { get; init; } = TrustedProxies.Default;

    /// <summary>
    /// The access log's format (<c>--access-log</c>, <c>--access-log-format json</c>, <c>HostKit:AccessLog</c> true or false,
    /// <c>HostKit:AccessLogFormat</c>), or null when it is off, the default (docs/deployment.md says why).
    /// </summary>
    public AccessLogFormat? AccessLog { get; init; }

    /// <summary>True when the host list was asked for (<c>--host list</c>).</summary>
    public bool ListHosts => string.Equals(Host, "list", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the <c>HostKit</c> section of <paramref name="configuration"/>.</summary>
    /// <exception cref="HostStartException">A value is malformed; the message names it.</exception>
    public static HostKitSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("HostKit");
        var workerId = Parse<int?>(section, "Worker:Id", null, s => (int?)int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        var workers = Parse(section, "Workers", 1, s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        if (workers is < 1 or > MaxWorkers)
            throw new HostStartException($"--workers must be a number from 1 to {MaxWorkers}, not {workers}.");
        return new HostKitSettings
        {
            Host = section["Host"] is { Length: > 0 } host ? host : null,
            // A worker listens where its supervisor reserved: the command line it shares with the supervisor may say port 0.
            Urls = workerId is null ? ReadUrls(section["Urls"], section["Port"]) : ReadUrls(section["Worker:Urls"], null),
            Workers = workers,
            WorkerId = workerId,
            LogLevel = Parse(section, "LogLevel", LogLevel.Information, s => Enum.Parse<LogLevel>(s, ignoreCase: true)),
            Limits = Bind(section.GetSection("Limits"), () => new HttpLimits()),
            WebSockets = Bind(section.GetSection("WebSockets"), () => new WebSocketOptions()),
            UnsafeInlineIo = Parse(section, "UnsafeInlineIo", false, s => bool.Parse(s)),
            ForwardedAllowIps = section["ForwardedAllowIps"] is not null
                ? Parse(section, "ForwardedAllowIps", TrustedProxies.None, TrustedProxies.Parse)
                : TrustedProxies.Default,
            AccessLog = Parse(section, "AccessLog", false, s => bool.Parse(s))
                ? Parse(section, "AccessLogFormat", AccessLogFormat.Combined, ParseAccessLogFormat)
                : null,
            ShutdownTimeout = Parse(section, "ShutdownTimeout", new ServerOptions().ShutdownTimeout, s => TimeSpan.Parse(s, CultureInfo.InvariantCulture)),
        };
    }

    private static AccessLogFormat ParseAccessLogFormat(string text) => text.ToLowerInvariant() switch
    {
        "combined" => AccessLogFormat.Combined,
        "json" => AccessLogFormat.Json,
        _ => throw new FormatException("the access log format is 'combined' or 'json'."),
    };

    private static IReadOnlyList<Uri> ReadUrls(string? urls, string? port)
    {
        if (!string.IsNullOrWhiteSpace(urls))
            return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseUrl)];
        if (!string.IsNullOrWhiteSpace(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
                throw new HostStartException($"--port must be a number from 0 to 65535, not '{port}'.");
            return [new Uri($"http://127.0.0.1:{number}")];
        }
        return [DefaultUrl];
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
            throw new HostStartException($"'{text}' is not a listen address. Write it as http://IP:PORT, for example http://127.0.0.1:8000 (port 0 picks a free port).");
        return url;
    }

    private static T Parse<T>(IConfigurationSection section, string key, T fallback, Func<string, T> parse)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        try
        {
            return parse(value);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new HostStartException($"HostKit:{key} = '{value}' is not valid: {ex.Message}", ex);
        }
    }

    private static T Bind<T>(IConfigurationSection section, Func<T> defaults) where T : class
    {
        var value = defaults();
        if (!section.Exists())
            return value;
        try
        {
            section.Bind(value, o => o.ErrorOnUnknownConfiguration = true);
            return value;
        }
        catch (InvalidOperationException ex)
        {
            throw new HostStartException($"HostKit:{section.Key} is not valid: {ex.Message}", ex);
        }
    }
}
