using System.Runtime.InteropServices;
using HostKit.Hosting.Workers;
using HostKit.Hosts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HostKit.Hosting;

/// <summary>
/// Runs an application on the host chosen by configuration, like gunicorn for WSGI:
/// <c>await HostRunner.RunAsync(app, args)</c> in <c>Main</c>.
/// </summary>
public static class HostRunner
{
    /// <summary>Exit code for bad input (unknown host, malformed address, missing capability).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a host that could not start (address in use...).</summary>
    public const int StartFailure = 1;

    /// <summary>Exit code when a second Ctrl+C or SIGTERM cut the graceful stop short: what was in flight was dropped (as a shell reports Ctrl+C).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Reads the host and addresses from the command line, <c>HOSTKIT_*</c> environment variables and
    /// <c>hostkit.json</c>; starts the application; logs the host and the bound addresses; serves until
    /// Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>; then stops gracefully.
    /// </summary>
    /// <param name="application">The application to serve.</param>
    /// <param name="args">The command line.</param>
    /// <param name="requires">What the application needs from a host; a host that lacks it is refused with a clear message.</param>
    /// <param name="hosts">The hosts to choose from; when null, those the application references (<see cref="HostDiscovery.Registry"/>).</param>
    /// <param name="cancellationToken">Stops the server when signalled.</param>
    /// <returns>The process exit code: 0 after a clean stop.</returns>
    public static Task<int> RunAsync(Application application, string[] args,
        HostCapabilities requires = HostCapabilities.Http | HostCapabilities.WebSockets,
        HostRegistry? hosts = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        return RunAsync(_ => application, args, new HostRunnerOptions { Requires = requires, Hosts = hosts }, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="RunAsync(Application, string[], HostCapabilities, HostRegistry?, CancellationToken)"/>, for an
    /// application that has settings of its own: <paramref name="build"/> gets the same configuration the runner reads
    /// (<c>hostkit.json</c>, <c>HOSTKIT_*</c>, the command line with <c>--set KEY=VALUE</c>) and the runner's logger factory,
    /// once the host is chosen and before it starts.
    /// </summary>
    /// <param name="build">Makes the application. An <see cref="InvalidOperationException"/>, <see cref="ArgumentException"/>
    /// or <see cref="FormatException"/> from it is a configuration error: its message is printed and the exit code is 2.</param>
    /// <param name="args">The command line.</param>
    /// <param name="requires">What the application needs from a host.</param>
    /// <param name="hosts">The hosts to choose from; when null, those the application references (<see cref="HostDiscovery.Registry"/>).</param>
    /// <param name="cancellationToken">Stops the server when signalled.</param>
    /// <returns>The process exit code: 0 after a clean stop.</returns>
    public static Task<int> RunAsync(Func<HostRunnerContext, Application> build, string[] args,
        HostCapabilities requires = HostCapabilities.Http | HostCapabilities.WebSockets,
        HostRegistry? hosts = null, CancellationToken cancellationToken = default) =>
        RunAsync(build, args, new HostRunnerOptions { Requires = requires, Hosts = hosts }, cancellationToken);

    /// <summary>
    /// Like <see cref="RunAsync(Func{HostRunnerContext, Application}, string[], HostCapabilities, HostRegistry?, CancellationToken)"/>,
    /// with the application's own command-line options and checks (<see cref="HostRunnerOptions"/>). With <c>--workers N</c>
    /// (N &gt; 1) this process becomes a supervisor that starts N processes of the application on the same addresses.
    /// </summary>
    /// <param name="build">Makes the application (in each worker, never in the supervisor).</param>
    /// <param name="args">The command line.</param>
    /// <param name="options">What the application needs, its options and its checks.</param>
    /// <param name="cancellationToken">Stops the server (or every worker) when signalled.</param>
    /// <returns>The process exit code: 0 after a clean stop.</returns>
    public static async Task<int> RunAsync(Func<HostRunnerContext, Application> build, string[] args, HostRunnerOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        var hosts = options.Hosts ?? HostDiscovery.Registry;

        var parsed = HostKitCommandLine.Parse(args, options.Description ?? "Serves a HostKit application on the host of your choice.", options.Options);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run with --help for the options.");
            return UsageError;
        }
        if (parsed.Action is not null)
            return await parsed.InvokeAsync(cancellationToken: cancellationToken); // --help, --version

        IConfiguration configuration;
        HostKitSettings settings;
        IServerHost host;
        try
        {
            configuration = HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed, options.Options), applicationOptions: options.Options);
            SettingsCheck.Check(configuration, HostKitSettings.Shape(options));
            settings = HostKitSettings.From(configuration);
            if (settings.ListHosts)
            {
                HostTable.Write(AnsiConsole.Console, hosts.Hosts);
                return 0;
            }
            host = Choose(hosts, settings.Host);
            var missing = options.Requires & ~host.Capabilities;
            if (missing != HostCapabilities.None)
                throw new HostStartException($"The host '{host.Name}' cannot run this application: it lacks {missing}. Choose another with --host (see --host list).");
            CheckTls(hosts, host, settings);
            if (settings.Workers > 1)
                CheckWorkersCan(host, settings.Workers);
        }
        catch (HostStartException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return UsageError;
        }

        // Before anything waits on a socket (building the application may connect to a backplane): the runtime reads it once.
        if (settings.UnsafeInlineIo)
            InlineSocketIo.Enable();

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(settings.LogLevel)
            // The engines' own start-up chatter would contradict HostKit's one line on where it serves.
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            }));
        var logger = loggerFactory.CreateLogger("HostKit");
        if (settings.UnsafeInlineIo)
            logger.LogWarning("HostKit:UnsafeInlineIo is on: socket I/O completes on the socket engine's thread; an application that blocks stalls every connection, and synchronous request body reads are refused on raw and httplistener");
        if (settings.WorkerId is null)
            logger.LogInformation("{Configuration}", DescribeConfiguration(configuration));
        var context = new HostRunnerContext(configuration, loggerFactory) { Workers = settings.Workers, WorkerId = settings.WorkerId };
        try
        {
            options.Validate?.Invoke(context);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return UsageError;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var force = new CancellationTokenSource();
        using var signals = new StopSignals(stop, force, isWorker: settings.WorkerId is not null);

        if (settings.IsSupervisor)
        {
            try
            {
                var supervisor = new WorkerSupervisor(host, settings, WorkerCommand.ForThisProcess(args), loggerFactory.CreateLogger("HostKit.Workers"));
                var code = await supervisor.RunAsync(stop.Token, force.Token);
                return force.IsCancellationRequested ? Interrupted : code;
            }
            catch (HostStartException ex)
            {
                logger.LogCritical("{Message}", ex.Message);
                return StartFailure;
            }
        }
        if (settings.WorkerId is not null)
            StopWhenSupervisorIsGone(stop);

        Application application;
        try
        {
            application = build(context);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return UsageError;
        }
        var serverOptions = new ServerOptions
        {
            Urls = settings.Urls,
            LoggerFactory = loggerFactory,
            Limits = settings.Limits,
            WebSockets = settings.WebSockets,
            ShutdownTimeout = settings.ShutdownTimeout,
            ForwardedAllowIps = settings.ForwardedAllowIps,
            AccessLog = settings.AccessLog,
            Tls = settings.Tls,
            ReusePort = settings.WorkerId is not null,
        };

        IRunningServer server;
        try
        {
            server = await host.StartAsync(application, serverOptions, stop.Token);
        }
        catch (HostStartException ex)
        {
            logger.LogCritical("{Message}", ex.Message);
            return StartFailure;
        }

        // One line that people and tools can rely on to find the bound address.
        Console.Out.WriteLine($"HostKit: serving on {host.Name} ({host.Engine}) at {string.Join(" ", server.Addresses)}");
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
            logger.LogInformation("Stopping {Host}: finishing requests in flight, then closing websockets (signal again to stop at once)", host.Name);
            await server.StopAsync(force.Token);
        }
        finally
        {
            await server.DisposeAsync();
        }
        if (force.IsCancellationRequested)
        {
            logger.LogWarning("Stopped at once on a second signal: what was in flight was dropped");
            return Interrupted;
        }
        logger.LogInformation("Stopped");
        return 0;
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

    /// <summary>Refuses <c>--workers</c> where processes cannot share a port, before anything starts.</summary>
    private static void CheckWorkersCan(IServerHost host, int workers)
    {
        if (!host.Capabilities.HasFlag(HostCapabilities.SharedPort))
            throw new HostStartException($"--workers {workers} needs several processes listening on one port, which the host '{host.Name}' cannot do (it lacks SharedPort; see --host list). Run one process, or choose a host that can, such as kestrel or raw.");
        if (!SharedPort.IsSupported)
            throw new HostStartException($"--workers {workers} needs SO_REUSEPORT, which HostKit uses on Linux only. Run one process per port instead.");
    }

    /// <summary>
    /// A worker reads its standard input, a pipe its supervisor holds open and never writes: the end of it means the
    /// supervisor is gone (even killed with SIGKILL, which it cannot forward), and the worker stops instead of serving on alone.
    /// </summary>
    private static void StopWhenSupervisorIsGone(CancellationTokenSource stop)
    {
        var watcher = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                input.CopyTo(Stream.Null);
            }
            catch (IOException)
            {
                // Closed under us: the same news.
            }
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The worker stopped already.
            }
        })
        { IsBackground = true, Name = "HostKit supervisor watch" };
        watcher.Start();
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
    }
}
