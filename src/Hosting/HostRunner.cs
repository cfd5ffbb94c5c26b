using HostKit.Hosting.Workers;
using HostKit.Hosts;

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
        var (run, exitCode) = await RunSettings.ResolveAsync(args, options, cancellationToken);
        if (run is null)
            return exitCode;
        var settings = run.Settings;

        // Before anything waits on a socket (building the application may connect to a backplane): the runtime reads it once.
        if (settings.UnsafeInlineIo)
            InlineSocketIo.Enable();
        using var loggerFactory = run.CreateLoggerFactory();
        var context = new HostRunnerContext(run.Configuration, loggerFactory) { Workers = settings.Workers, WorkerId = settings.WorkerId };
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
        return settings.IsSupervisor
            ? await WorkerSupervisor.RunThisProcessAsync(run, args, loggerFactory, stop.Token, force.Token)
            : await ServerLifetime.RunAsync(build, run, context, stop, force.Token);
    }
}
