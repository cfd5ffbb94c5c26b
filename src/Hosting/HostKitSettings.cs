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

    /// <summary>
    /// Where to listen: <c>http://</c>, <c>https://</c> and <c>unix:PATH</c> addresses (<c>--urls</c>), with the unix socket of
    /// <c>--uds PATH</c> (<c>HostKit:Uds</c>) added; the default only when none is given at all.
    /// </summary>
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

    /// <summary>
    /// The certificate <c>https://</c> addresses are served with (<c>--certfile</c>, <c>--keyfile</c>, <c>--keyfile-password</c>;
    /// <c>HostKit:CertFile</c>, <c>HostKit:KeyFile</c>, <c>HostKit:KeyFilePassword</c>), or null when none is given.
    /// </summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>
    /// True: serve HTTP/2 next to HTTP/1.1 (<c>--http2</c>, <c>HostKit:Http2</c>; <see cref="ServerOptions.Http2"/>), on hosts with
    /// <see cref="HostCapabilities.Http2"/>. Default false.
    /// </summary>
    public bool Http2 { get; init; }

    /// <summary>True when the host list was asked for (<c>--host list</c>).</summary>
    public bool ListHosts => string.Equals(Host, "list", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the <c>HostKit</c> section of <paramref name="configuration"/>.</summary>
    /// <exception cref="HostStartException">A value is malformed; the message names it and says what to write.</exception>
    public static HostKitSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("HostKit");
        var workerId = Read(section, "Worker:Id", ReadNumber, "a whole number");
        var workers = Read(section, "Workers", ReadNumber, $"a whole number from 1 to {MaxWorkers}", "--workers") ?? 1;
        if (workers is < 1 or > MaxWorkers)
            throw new HostStartException($"--workers (HostKit:Workers) = {workers} is out of range: write a whole number from 1 to {MaxWorkers}.");
        return new HostKitSettings
        {
            Host = section["Host"] is { Length: > 0 } host ? host : null,
            // A worker listens where its supervisor reserved: the command line it shares with the supervisor may say port 0.
            Urls = workerId is null ? ReadUrls(section["Urls"], section["Port"], section["Uds"]) : ReadUrls(section["Worker:Urls"], null, null),
            Workers = workers,
            WorkerId = workerId,
            LogLevel = Read(section, "LogLevel", ReadLogLevel, SettingsCheck.Expected(typeof(LogLevel)), "--log-level") ?? LogLevel.Information,
            Limits = Bind(configuration, section.GetSection("Limits"), () => new HttpLimits()),
            WebSockets = Bind(configuration, section.GetSection("WebSockets"), () => new WebSocketOptions()),
            UnsafeInlineIo = Read<bool>(section, "UnsafeInlineIo", ReadBool, SettingsCheck.Expected(typeof(bool))) ?? false,
            ForwardedAllowIps = ReadForwardedAllowIps(section),
            AccessLog = Read<bool>(section, "AccessLog", ReadBool, SettingsCheck.Expected(typeof(bool)), "--access-log") ?? false
                ? Read<AccessLogFormat>(section, "AccessLogFormat", ReadAccessLogFormat, "'combined' or 'json'", "--access-log-format") ?? AccessLogFormat.Combined
                : null,
            Tls = TlsCertificateFiles.Load(section["CertFile"], section["KeyFile"], section["KeyFilePassword"]),
            Http2 = Read<bool>(section, "Http2", ReadBool, SettingsCheck.Expected(typeof(bool)), "--http2") ?? false,
            ShutdownTimeout = Read<TimeSpan>(section, "ShutdownTimeout", s => TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var timeout) ? timeout : null,
                SettingsCheck.Expected(typeof(TimeSpan))) ?? new ServerOptions().ShutdownTimeout,
        };
    }

    /// <summary>
    /// Every key the runner reads under <c>HostKit</c>, with the application's own options and sections: what
    /// <see cref="SettingsCheck"/> holds the configuration to, so that a typo is an error instead of a silent default.
    /// </summary>
    internal static SettingsShape Shape(HostRunnerOptions options)
    {
        var shape = SettingsShape.Section();
        // The runner's own values are read (and their format checked) by From above; here only their names.
        foreach (var key in new[] { "Host", "Urls", "Port", "Uds", "Workers", "Config", "LogLevel", "UnsafeInlineIo", "ShutdownTimeout", "ForwardedAllowIps", "AccessLog", "AccessLogFormat", "CertFile", "KeyFile", "KeyFilePassword", "Http2" })
            shape.Add(key, SettingsShape.Value(typeof(string)));
        // Set by the --workers supervisor for its workers (HOSTKIT_WORKER__ID, HOSTKIT_WORKER__URLS), not by people: never listed.
        foreach (var key in new[] { "Worker:Id", "Worker:Urls" })
            shape.AddInternal(key, SettingsShape.Value(typeof(string)));
        shape.Add("Limits", SettingsShape.Of(typeof(HttpLimits)));
        shape.Add("WebSockets", SettingsShape.Of(typeof(WebSocketOptions)));
        const string Prefix = SettingsCheck.Root + ":";
        foreach (var section in options.Sections.Where(s => s.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)))
            shape.Add(section.Key[Prefix.Length..], SettingsShape.Of(section.Type));
        foreach (var option in options.Options.Where(o => o.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)))
            shape.Add(option.Key[Prefix.Length..], SettingsShape.Value(typeof(string)));
        return shape;
    }

    /// <summary>The trusted proxies: <see cref="TrustedProxies.Default"/> when the key is absent, nobody when it is empty.</summary>
    private static TrustedProxies ReadForwardedAllowIps(IConfigurationSection section)
    {
        var value = section["ForwardedAllowIps"];
        if (value is null)
            return TrustedProxies.Default;
        try
        {
            return TrustedProxies.Parse(value);
        }
        catch (FormatException ex)
        {
            throw new HostStartException($"--forwarded-allow-ips (HostKit:ForwardedAllowIps) = '{value}' is not valid: {ex.Message}", ex);
        }
    }

    private static bool? ReadBool(string text) => bool.TryParse(text.Trim(), out var on) ? on : null;

    private static AccessLogFormat? ReadAccessLogFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "combined" => AccessLogFormat.Combined,
        "json" => AccessLogFormat.Json,
        _ => null,
    };

    private static int? ReadNumber(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>A level by name only: <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> would take "7" too.</summary>
    private static LogLevel? ReadLogLevel(string text) =>
        Enum.GetNames<LogLevel>().FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<LogLevel>(name) : null;

    /// <summary>The addresses of <c>--urls</c> or <c>--port</c>, with <c>--uds</c>'s socket after them; the default only when none of the three says anything.</summary>
    private static IReadOnlyList<Uri> ReadUrls(string? urls, string? port, string? uds)
    {
        if (string.IsNullOrWhiteSpace(uds))
            return ReadUrls(urls, port);
        var socket = UnixSocketUrl(uds, "--uds (HostKit:Uds)");
        return string.IsNullOrWhiteSpace(urls) && string.IsNullOrWhiteSpace(port) ? [socket] : [.. ReadUrls(urls, port), socket];
    }

    private static IReadOnlyList<Uri> ReadUrls(string? urls, string? port)
    {
        if (!string.IsNullOrWhiteSpace(urls))
        {
            var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return addresses.Length > 0
                ? [.. addresses.Select(ParseUrl)]
                : throw new HostStartException($"--urls (HostKit:Urls) = '{urls}' names no address: {UrlExample}");
        }
        if (!string.IsNullOrWhiteSpace(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
                throw new HostStartException($"--port must be a number from 0 to 65535, not '{port}'.");
            return [new Uri($"http://127.0.0.1:{number}")];
        }
        return [DefaultUrl];
    }

    /// <summary>How to write an address, said the same way by every message about one.</summary>
    internal const string UrlExample = "write it as http://IP:PORT, https://IP:PORT or unix:PATH, for example http://127.0.0.1:8000 (port 0 picks a free port) or unix:/run/app/app.sock; several separated by ';'.";

    /// <summary>
    /// An http or https address with no path, or a unix socket's (<c>unix:PATH</c>, gunicorn's bind syntax). Whether the
    /// chosen host serves https or unix sockets is the runner's check, once the host is known (<see cref="HostCapabilities.Tls"/>,
    /// <see cref="HostCapabilities.UnixSockets"/>): here an address is only well formed.
    /// </summary>
    private static Uri ParseUrl(string text)
    {
        if (text.StartsWith(ListenAddress.UnixScheme + ":", StringComparison.OrdinalIgnoreCase))
            return UnixSocketUrl(text, "--urls (HostKit:Urls)");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.AbsolutePath != "/")
            throw new HostStartException($"'{text}' is not a listen address: {UrlExample}");
        return url;
    }

    /// <summary>
    /// The address of the unix socket <paramref name="text"/> names: a path, or one after <c>unix:</c> or <c>unix://</c> as gunicorn
    /// takes it; a relative path is taken from the working directory.
    /// </summary>
    private static Uri UnixSocketUrl(string text, string option)
    {
        var path = text.Trim();
        foreach (var prefix in new[] { ListenAddress.UnixScheme + "://", ListenAddress.UnixScheme + ":" })
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                path = path[prefix.Length..];
                break;
            }
        }
        if (path.Length == 0 || path.EndsWith('/'))
            throw new HostStartException($"{option} = '{text}' names no socket file: write unix:PATH, for example unix:/run/app/app.sock.");
        return ListenAddress.UnixSocket(path);
    }

    /// <summary>
    /// The value of <paramref name="key"/>, or null when absent; <paramref name="parse"/> returns null for text it cannot
    /// read, and the error then says what to write (<paramref name="expected"/>) and which option sets it.
    /// </summary>
    private static T? Read<T>(IConfigurationSection section, string key, Func<string, T?> parse, string expected, string? option = null)
        where T : struct
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var name = option is null ? $"HostKit:{key}" : $"{option} (HostKit:{key})";
        return parse(value) ?? throw new HostStartException($"{name} = '{value}' is not valid: write {expected}.");
    }

    /// <summary>Binds a section of settings after <see cref="SettingsCheck"/> has said in HostKit's words what is wrong with it, if anything.</summary>
    private static T Bind<T>(IConfiguration configuration, IConfigurationSection section, Func<T> defaults) where T : class
    {
        var value = defaults();
        if (!section.Exists())
            return value;
        SettingsCheck.Check(configuration, SettingsShape.Of(typeof(T)), section);
        try
        {
            section.Bind(value, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // A case the check above does not foresee: still an error that names the section, never a crash.
            throw new HostStartException($"HostKit:{section.Key} is not valid: {ex.Message}", ex);
        }
        return value;
    }
}
