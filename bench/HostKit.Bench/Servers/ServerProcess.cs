using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using HostKit.Bench.Running;

namespace HostKit.Bench.Servers;

/// <summary>
/// One fresh server process, pinned to core 0 (<c>taskset -c 0</c>) in a session of its own
/// (<c>setsid</c>) so its forked workers can be stopped with it. Its output goes to a log file.
/// Disposing stops it: SIGTERM to the group, then SIGKILL after a grace period.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private bool _logClosed;

    private ServerProcess(ServerSpec spec, int port, Process process, StreamWriter log)
    {
        Spec = spec;
        Port = port;
        _process = process;
        _log = log;
    }

    public ServerSpec Spec { get; }

    public int Port { get; }

    /// <summary>The server's process id (also its process group and session id).</summary>
    public int Pid => _process.Id;

    /// <summary>True when the server died (a crash under load): the runner starts a fresh one for the next workload.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server on a free port and waits until <c>GET /plaintext</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(ServerSpec spec, string logPath, string serverCore, CancellationToken cancellationToken)
    {
        var port = FreePort.Pick();
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in (string[])["taskset", "-c", serverCore, .. WithStandardOutput(spec, spec.Command(port))])
            info.ArgumentList.Add(argument);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = ProcessGuard.Start(info, groupLeader: true);
        var server = new ServerProcess(spec, port, process, log);
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilServingAsync(logPath, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The command, with its standard output sent to <see cref="ServerSpec.StandardOutputFile"/> when it has one: through
    /// <c>sh -c 'exec "$@" &gt; FILE'</c>, so the shell becomes the server (same process, same pinning) and the lines go to
    /// the file as an operator's redirection sends them, not through this runner. Errors still reach the log.
    /// </summary>
    private static IReadOnlyList<string> WithStandardOutput(ServerSpec spec, IReadOnlyList<string> command)
    {
        if (spec.StandardOutputFile is not { } file)
            return command;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return ["sh", "-c", "exec \"$@\" > \"$0\"", file, .. command];
    }

    private void Log(string? line)
    {
        if (line is null)
            return;
        lock (_logLock)
        {
            if (!_logClosed)
                _log.WriteLine(line);
        }
    }

    private async Task WaitUntilServingAsync(string logPath, CancellationToken cancellationToken)
    {
        // A TLS variant serves a self-signed certificate the runner made: its chain cannot be built, its name must still match.
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new ServerStartException($"{Spec.Name} exited with code {_process.ExitCode} before serving; see {logPath}: {Tail(logPath)}");
            if (clock.Elapsed > StartTimeout)
                throw new ServerStartException($"{Spec.Name} did not answer GET {Spec.Scheme}://.../plaintext within {StartTimeout.TotalSeconds:F0} s; see {logPath}");
            try
            {
                using var response = await http.GetAsync(new Uri($"{Spec.Scheme}://127.0.0.1:{Port}/plaintext"), cancellationToken);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static string Tail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(" | ", lines.TakeLast(3));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Notes the size of what the server wrote to its output file (the access log), then deletes it: a run writes hundreds of MB.</summary>
    private void ForgetStandardOutputFile()
    {
        if (Spec.StandardOutputFile is not { } file || !File.Exists(file))
            return;
        Log($"runner: the server's standard output went to {file}: {new FileInfo(file).Length / 1e6:0.0} MB, deleted now");
        File.Delete(file);
    }

    /// <summary>Stops the server: SIGTERM to its group, SIGKILL after the grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Posix.SignalGroup(_process.Id, Posix.SigTerm);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                ProcessGuard.Kill(_process);
            }
        }
        // Forked workers that outlive their master would keep the port and the core.
        Posix.SignalGroup(_process.Id, Posix.SigKill);
        await _process.WaitForExitAsync(CancellationToken.None);
        ProcessGuard.Forget(_process);
        _process.Dispose();
        ForgetStandardOutputFile();
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }
}
