using HostKit.Hosts;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosting.Workers;

/// <summary>
/// <c>--workers N</c>, as gunicorn's arbiter: reserves the addresses, starts N processes of the same application on
/// them (the kernel spreads connections with SO_REUSEPORT), prints the one "serving" line once they all listen,
/// starts a worker again with backoff when it exits, and on SIGTERM or Ctrl+C stops them all gracefully.
/// </summary>
internal sealed partial class WorkerSupervisor(IServerHost host, HostKitSettings settings, WorkerCommand command, ILogger logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(16);

    /// <summary>A worker that ran this long before it exited was healthy: it is started again after the shortest delay.</summary>
    private static readonly TimeSpan Healthy = TimeSpan.FromSeconds(30);

    /// <summary>How long a worker may take to stop after SIGTERM (its own graceful stop takes up to its shutdown timeout).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    // The running worker of each number, for a second signal to reach.
    private readonly WorkerProcess?[] _current = new WorkerProcess?[settings.Workers];

    /// <summary>
    /// The third of the runner's three parts (after uvicorn's <c>supervisors/</c>): this process supervises
    /// <see cref="HostKitSettings.Workers"/> workers of the same command line instead of serving. Returns the exit code:
    /// <see cref="HostRunner.Interrupted"/> after a second signal, <see cref="HostRunner.StartFailure"/> when the
    /// addresses cannot be reserved, otherwise what <see cref="RunAsync"/> returns.
    /// </summary>
    public static async Task<int> RunThisProcessAsync(RunSettings run, string[] args, ILoggerFactory loggerFactory, CancellationToken stop, CancellationToken force)
    {
        try
        {
            var supervisor = new WorkerSupervisor(run.Host, run.Settings, WorkerCommand.ForThisProcess(args), loggerFactory.CreateLogger("HostKit.Workers"));
            var code = await supervisor.RunAsync(stop, force);
            return force.IsCancellationRequested ? HostRunner.Interrupted : code;
        }
        catch (HostStartException ex)
        {
            loggerFactory.CreateLogger("HostKit").LogCritical("{Message}", ex.Message);
            return HostRunner.StartFailure;
        }
    }

    /// <summary>
    /// Runs until <paramref name="stop"/> (the first Ctrl+C or SIGTERM), passed on to each worker as SIGTERM; <paramref name="force"/>
    /// (a second one) is passed on as SIGQUIT, which makes each worker cut its graceful stop short (why not a second SIGTERM: <see cref="StopSignals"/>). Returns the exit code: 0 after a clean
    /// stop, a worker's code when it could not start.
    /// </summary>
    /// <exception cref="HostStartException">The addresses cannot be reserved.</exception>
    public async Task<int> RunAsync(CancellationToken stop, CancellationToken force)
    {
        using var reservation = PortReservation.Reserve(settings.Urls);
        using var forwardForce = force.Register(() =>
        {
            foreach (var worker in _current)
                worker?.Quit();
        });
        var workers = Enumerable.Range(1, settings.Workers).Select(id => Start(id, reservation.Urls)).ToArray();
        var started = await WaitUntilServingAsync(workers, stop);
        if (started != 0 || stop.IsCancellationRequested)
        {
            await Task.WhenAll(workers.Select(StopAsync));
            return started;
        }
        // The one line people and tools look for, as a single server prints it, once every worker listens.
        Console.Out.WriteLine($"HostKit: serving on {host.Name} ({host.Engine}) at {string.Join(" ", reservation.Urls)} with {settings.Workers} workers");
        Console.Out.Flush();
        await Task.WhenAll(workers.Select(worker => SuperviseAsync(worker, reservation.Urls, stop)));
        Stopped(logger);
        return 0;
    }

    /// <summary>0 once every worker serves; the exit code of the first that exited instead (its error is in the log).</summary>
    private async Task<int> WaitUntilServingAsync(WorkerProcess[] workers, CancellationToken stop)
    {
        foreach (var worker in workers)
        {
            try
            {
                await worker.Serving.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (InvalidOperationException)
            {
                var code = await worker.Exited;
                NotStarted(logger, worker.Id, code);
                return code == 0 ? HostRunner.StartFailure : code;
            }
        }
        return 0;
    }

    private async Task SuperviseAsync(WorkerProcess worker, IReadOnlyList<Uri> urls, CancellationToken stop)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            await Task.WhenAny(worker.Exited, Task.Delay(Timeout.Infinite, stop));
            if (stop.IsCancellationRequested)
            {
                await StopAsync(worker);
                return;
            }
            var code = await worker.Exited;
            if (DateTime.UtcNow - worker.StartedAt >= Healthy)
                backoff = FirstBackoff;
            Restarting(logger, worker.Id, worker.Pid, code, backoff.TotalSeconds);
            worker.Dispose();
            try
            {
                await Task.Delay(backoff, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            worker = Start(worker.Id, urls);
        }
    }

    private WorkerProcess Start(int id, IReadOnlyList<Uri> urls)
    {
        var worker = WorkerProcess.Start(id, command, urls);
        _current[id - 1] = worker;
        Started(logger, id, worker.Pid);
        return worker;
    }

    private async Task StopAsync(WorkerProcess worker)
    {
        worker.Terminate();
        try
        {
            await worker.Exited.WaitAsync(StopTimeout);
        }
        catch (TimeoutException)
        {
            KilledAfterTimeout(logger, worker.Id, worker.Pid, StopTimeout.TotalSeconds);
            worker.Kill();
            await worker.Exited;
        }
        worker.Dispose();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Worker {Id} started (pid {Pid})")]
    private static partial void Started(ILogger logger, int id, int pid);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Worker {Id} (pid {Pid}) exited with code {Code}; starting it again in {Delay} s")]
    private static partial void Restarting(ILogger logger, int id, int pid, int code, double delay);

    [LoggerMessage(EventId = 32, Level = LogLevel.Critical, Message = "Worker {Id} exited with code {Code} before it served (its error is above); stopping every worker")]
    private static partial void NotStarted(ILogger logger, int id, int code);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Worker {Id} (pid {Pid}) did not stop within {Seconds} s of SIGTERM; killed")]
    private static partial void KilledAfterTimeout(ILogger logger, int id, int pid, double seconds);

    [LoggerMessage(EventId = 34, Level = LogLevel.Information, Message = "Every worker stopped")]
    private static partial void Stopped(ILogger logger);
}
