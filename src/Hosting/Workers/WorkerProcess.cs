using System.Diagnostics;
using System.Globalization;

namespace HostKit.Hosting.Workers;

/// <summary>
/// One worker: a process of the application, told its number and addresses, its output relayed line by line with a
/// <c>[worker N]</c> prefix. Its standard input is a pipe from the supervisor that is never written: the worker stops
/// when it reads its end (<see cref="HostRunner"/>), so workers do not outlive a supervisor that was killed.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const string ServingLine = "HostKit: serving on ";
    private readonly Process _process;
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _prefix;

    private WorkerProcess(int id, Process process)
    {
        Id = id;
        _process = process;
        _prefix = $"[worker {id.ToString(CultureInfo.InvariantCulture)}] ";
        Pid = process.Id;
        StartedAt = DateTime.UtcNow;
        _ = RelayAsync(process.StandardOutput, Console.Out, watchForServing: true);
        _ = RelayAsync(process.StandardError, Console.Error, watchForServing: false);
        Exited = WaitForExitAsync();
    }

    public int Id { get; }

    public int Pid { get; }

    public DateTime StartedAt { get; }

    /// <summary>Completes when the worker printed its "serving" line: it listens.</summary>
    public Task Serving => _serving.Task;

    /// <summary>The worker's exit code, once it exited.</summary>
    public Task<int> Exited { get; }

    public static WorkerProcess Start(int id, WorkerCommand command, IReadOnlyList<Uri> urls)
    {
        var start = new ProcessStartInfo(command.FileName, command.Arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[WorkerEnvironment.Id] = id.ToString(CultureInfo.InvariantCulture);
        start.Environment[WorkerEnvironment.Urls] = string.Join(';', urls.Select(u => u.GetLeftPart(UriPartial.Authority)));
        return new WorkerProcess(id, Process.Start(start) ?? throw new InvalidOperationException($"Worker {id} could not be started."));
    }

    /// <summary>Asks the worker to stop gracefully (SIGTERM).</summary>
    public void Terminate() => Signal(PosixSignals.Terminate);

    /// <summary>Tells the worker to cut its graceful stop short (SIGQUIT: a worker takes any number of SIGTERM and SIGINT for one graceful stop).</summary>
    public void Quit() => Signal(PosixSignals.Quit);

    private void Signal(Func<int, bool> send)
    {
        try
        {
            if (!_process.HasExited)
                send(Pid);
        }
        catch (InvalidOperationException)
        {
            // Disposed: this worker is gone and its number has, or will have, a new process.
        }
    }

    /// <summary>Ends the worker at once, for one that did not stop when asked.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
    }

    public void Dispose() => _process.Dispose();

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        _serving.TrySetException(new InvalidOperationException($"worker {Id} exited with code {_process.ExitCode} before it served"));
        return _process.ExitCode;
    }

    private async Task RelayAsync(StreamReader from, TextWriter to, bool watchForServing)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            if (watchForServing && line.StartsWith(ServingLine, StringComparison.Ordinal))
            {
                _serving.TrySetResult();
                // Relayed as "ready": the supervisor's own line is the one "HostKit: serving on" people and tools look for.
                to.WriteLine($"{_prefix}ready: {line[ServingLine.Length..]}");
                continue;
            }
            to.WriteLine(_prefix + line);
        }
    }
}
