using HostKit.Hosting.Workers;
using HostKit.Hosts;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosting;

/// <summary>
/// The second of the runner's three parts (after uvicorn's <c>server.py</c>): one server's life in this process. The
/// application is built, the host started, the one "serving" line printed; the first signal stops it gracefully (requests
/// in flight finish, then websockets close), a second cuts that short (<see cref="StopSignals"/>).
/// </summary>
internal static class ServerLifetime
{
    /// <summary>Serves until <paramref name="stop"/>, stops (at once if <paramref name="force"/> fires meanwhile), and returns the exit code.</summary>
    public static async Task<int> RunAsync(Func<HostRunnerContext, Application> build, RunSettings run, HostRunnerContext context,
        CancellationTokenSource stop, CancellationToken force)
    {
        var settings = run.Settings;
        var logger = context.LoggerFactory.CreateLogger("HostKit");
        if (settings.WorkerId is not null)
            SupervisorWatch.StopWhenGone(stop);

        Application application;
        try
        {
            application = build(context);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return HostRunner.UsageError;
        }

        IRunningServer server;
        try
        {
            server = await run.Host.StartAsync(application, ServerOptionsFor(settings, context.LoggerFactory), stop.Token);
        }
        catch (HostStartException ex)
        {
            logger.LogCritical("{Message}", ex.Message);
            return HostRunner.StartFailure;
        }

        // One line that people and tools can rely on to find the bound address.
        Console.Out.WriteLine($"HostKit: serving on {run.Host.Name} ({run.Host.Engine}) at {string.Join(" ", server.Addresses)}");
        Console.Out.Flush();
        await ServeUntilStoppedAsync(server, run.Host, logger, stop.Token, force);
        if (force.IsCancellationRequested)
        {
            logger.LogWarning("Stopped at once on a second signal: what was in flight was dropped");
            return HostRunner.Interrupted;
        }
        logger.LogInformation("Stopped");
        return 0;
    }

    /// <summary>The shutdown order: wait for the stop, let the host finish what is in flight (unless forced), then release it.</summary>
    private static async Task ServeUntilStoppedAsync(IRunningServer server, IServerHost host, ILogger logger, CancellationToken stop, CancellationToken force)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(static _ => { }, TaskScheduler.Default);
            logger.LogInformation("Stopping {Host}: finishing requests in flight, then closing websockets (signal again to stop at once)", host.Name);
            await server.StopAsync(force);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static ServerOptions ServerOptionsFor(HostKitSettings settings, ILoggerFactory loggerFactory) => new()
    {
        Urls = settings.Urls,
        LoggerFactory = loggerFactory,
        Limits = settings.Limits,
        WebSockets = settings.WebSockets,
        ShutdownTimeout = settings.ShutdownTimeout,
        ForwardedAllowIps = settings.ForwardedAllowIps,
        AccessLog = settings.AccessLog,
        Tls = settings.Tls,
        Http2 = settings.Http2,
        // A worker shares its port with its siblings; a single server keeps it to itself.
        ReusePort = settings.WorkerId is not null,
    };
}
