using HostKit.Hosts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HostKit.Hosting;

/// <summary>
/// The first of the runner's three parts (after uvicorn's <c>config.py</c>): the command line, <c>HOSTKIT_*</c> and
/// <c>hostkit.json</c> resolved into settings, the host chosen and checked against what the application needs, and the
/// logging they ask for. Nothing is started here; <see cref="ServerLifetime"/> and the worker supervisor run what it resolved.
/// </summary>
internal sealed class RunSettings
{
    private RunSettings(IConfiguration configuration, HostKitSettings settings, IServerHost host) =>
        (Configuration, Settings, Host) = (configuration, settings, host);

    public IConfiguration Configuration { get; }

    public HostKitSettings Settings { get; }

    public IServerHost Host { get; }

    /// <summary>
    /// Resolves <paramref name="args"/> and the configuration around them. Returns the settings, or, when there is nothing
    /// to serve, the exit code: a usage error (printed), <c>--help</c> or <c>--version</c> (run), <c>--host list</c> (printed).
    /// </summary>
    public static async Task<(RunSettings? Settings, int ExitCode)> ResolveAsync(string[] args, HostRunnerOptions options, CancellationToken cancellationToken)
    {
        var parsed = HostKitCommandLine.Parse(args, options.Description ?? "Serves a HostKit application on the host of your choice.", options.Options);
        if (parsed.Errors.Count > 0)
        {
            foreach (var line in HostKitCommandLine.ErrorLines(parsed, (options.Hosts ?? HostDiscovery.Registry).Hosts.Select(h => h.Name)))
                Console.Error.WriteLine($"error: {line}");
            Console.Error.WriteLine("Run with --help for the options.");
            return (null, HostRunner.UsageError);
        }
        if (parsed.Action is not null)
            return (null, await parsed.InvokeAsync(cancellationToken: cancellationToken)); // --help, --version

        var hosts = options.Hosts ?? HostDiscovery.Registry;
        try
        {
            var configuration = HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed, options.Options), applicationOptions: options.Options);
            SettingsCheck.Check(configuration, HostKitSettings.Shape(options));
            var settings = HostKitSettings.From(configuration);
            if (settings.ListHosts)
            {
                HostTable.Write(AnsiConsole.Console, hosts.Hosts);
                return (null, 0);
            }
            var host = Choose(hosts, settings.Host);
            var missing = options.Requires & ~host.Capabilities;
            if (missing != HostCapabilities.None)
                throw new HostStartException($"The host '{host.Name}' cannot run this application: it lacks {missing}. Choose another with --host (see --host list).");
            CheckTls(hosts, host, settings);
            CheckHttp2(hosts, host, settings);
            CheckUnixSockets(hosts, host, settings);
            if (settings.Workers > 1)
                CheckWorkersCan(host, settings);
            return (new RunSettings(configuration, settings, host), 0);
        }
        catch (HostStartException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return (null, HostRunner.UsageError);
        }
    }

    /// <summary>The console logging the settings ask for, and the first lines it writes: the unsafe-I/O warning, where the settings came from.</summary>
    public ILoggerFactory CreateLoggerFactory()
    {
        var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(Settings.LogLevel)
            // The engines' own start-up chatter would contradict HostKit's one line on where it serves.
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            }));
        var logger = loggerFactory.CreateLogger("HostKit");
        if (Settings.UnsafeInlineIo)
            logger.LogWarning("HostKit:UnsafeInlineIo is on: socket I/O completes on the socket engine's thread; an application that blocks stalls every connection, and synchronous request body reads are refused on raw and httplistener");
        if (Settings.WorkerId is null)
            logger.LogInformation("{Configuration}", DescribeConfiguration(Configuration));
        return loggerFactory;
    }

    /// <summary>The host called <paramref name="name"/>, or the default one when null, with errors that say what to reference.</summary>
    internal static IServerHost Choose(HostRegistry hosts, string? name)
    {
        if (name is null)
        {
            return hosts.Hosts.Count > 0
                ? hosts.Default
                : throw new HostStartException("No host is installed: reference a host package, for example HostKit.Hosts.Kestrel or HostKit.Hosts.Raw.");
        }
        try
        {
            return hosts.Get(name);
        }
        catch (HostStartException ex) when (HostKitPackages.For(name) is { } package)
        {
            throw new HostStartException($"{ex.Message} The '{name}' host comes with the {package} package: reference it to use it.", ex);
        }
        catch (HostStartException ex) when (Suggestion.Closest(name, hosts.Hosts.Select(h => h.Name)) is { } guess)
        {
            throw new HostStartException($"{ex.Message} Did you mean {guess}?", ex);
        }
    }

    /// <summary>Where the settings came from, for the start log: which json file, or where none was found.</summary>
    private static string DescribeConfiguration(IConfiguration configuration) =>
        HostKitConfiguration.JsonFile(configuration) is { } file
            ? $"Configuration: {file}, then HOSTKIT_* variables and the command line"
            : $"Configuration: no {HostKitConfiguration.DefaultJsonFile} in {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory.TrimEnd('/')}; HOSTKIT_* variables and the command line";

    /// <summary>
    /// Refuses an https address on a host that does not serve TLS (saying which installed host does), an https address
    /// without a certificate, and a certificate with no https address to serve it on.
    /// </summary>
    private static void CheckTls(HostRegistry hosts, IServerHost host, HostKitSettings settings)
    {
        var https = settings.Urls.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps);
        if (https is null)
        {
            if (settings.Tls is not null)
                throw new HostStartException($"{TlsCertificateFiles.CertFile} is set, and no address is https://: serve it with --urls https://IP:PORT (for example https://0.0.0.0:8443), or leave the certificate out.");
            return;
        }
        if (!host.Capabilities.HasFlag(HostCapabilities.Tls))
        {
            var others = hosts.Hosts.Where(h => h.Capabilities.HasFlag(HostCapabilities.Tls)).Select(h => h.Name).ToList();
            var instead = others.Count > 0 ? $"choose a host that does ({string.Join(", ", others)}), or" : "no installed host does (the TLS column of --host list);";
            throw new HostStartException(
                $"{https.GetLeftPart(UriPartial.Authority)} asks for TLS, which the host '{host.Name}' does not serve: {instead} listen on http:// and put a proxy that terminates TLS in front, such as nginx (deploy/nginx.conf).");
        }
        if (settings.Tls is null)
            throw new HostStartException($"{https.GetLeftPart(UriPartial.Authority)} asks for TLS, and no certificate is given: add --certfile FILE --keyfile FILE (PEM) or --certfile FILE.pfx (PKCS#12), or \"CertFile\" and \"KeyFile\" under \"HostKit\" in hostkit.json.");
    }

    /// <summary>Refuses <c>--http2</c> on a host that cannot serve HTTP/2, saying which installed host can.</summary>
    private static void CheckHttp2(HostRegistry hosts, IServerHost host, HostKitSettings settings)
    {
        if (!settings.Http2 || host.Capabilities.HasFlag(HostCapabilities.Http2))
            return;
        var others = hosts.Hosts.Where(h => h.Capabilities.HasFlag(HostCapabilities.Http2)).Select(h => h.Name).ToList();
        var instead = others.Count > 0 ? $"choose a host that does ({string.Join(", ", others)})" : "no installed host does (the HTTP/2 column of --host list)";
        throw new HostStartException(
            $"--http2 (HostKit:Http2) asks for HTTP/2, which the host '{host.Name}' does not serve: {instead}, or leave --http2 out and serve HTTP/1.1, or put a proxy that speaks HTTP/2 to clients in front, such as nginx.");
    }

    /// <summary>Refuses a <c>unix:</c> address (<c>--uds</c>) on a host that cannot listen on one, saying which installed host can.</summary>
    private static void CheckUnixSockets(HostRegistry hosts, IServerHost host, HostKitSettings settings)
    {
        var unix = settings.Urls.FirstOrDefault(ListenAddress.IsUnixSocket);
        if (unix is null || host.Capabilities.HasFlag(HostCapabilities.UnixSockets))
            return;
        var others = hosts.Hosts.Where(h => h.Capabilities.HasFlag(HostCapabilities.UnixSockets)).Select(h => h.Name).ToList();
        var instead = others.Count > 0 ? $"choose a host that can ({string.Join(", ", others)})" : "no installed host can (the unix sockets column of --host list)";
        throw new HostStartException($"{unix} is a unix socket, which the host '{host.Name}' cannot listen on: {instead}, or listen on http://IP:PORT.");
    }

    /// <summary>Refuses <c>--workers</c> where processes cannot share a port, or on a unix socket, before anything starts.</summary>
    private static void CheckWorkersCan(IServerHost host, HostKitSettings settings)
    {
        var workers = settings.Workers;
        if (settings.Urls.FirstOrDefault(ListenAddress.IsUnixSocket) is { } unix)
            throw new HostStartException($"--workers {workers} shares a port between processes, and {unix} is a unix socket, whose file one process holds: run one process per socket, or serve the workers on http://IP:PORT.");
        if (!host.Capabilities.HasFlag(HostCapabilities.SharedPort))
            throw new HostStartException($"--workers {workers} needs several processes listening on one port, which the host '{host.Name}' cannot do (it lacks SharedPort; see --host list). Run one process, or choose a host that can, such as kestrel or raw.");
        if (!SharedPort.IsSupported)
            throw new HostStartException($"--workers {workers} needs SO_REUSEPORT, which HostKit uses on Linux only. Run one process per port instead.");
    }
}
