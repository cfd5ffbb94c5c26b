using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace HostKit.Tests.Support;

/// <summary>
/// A redis-server of the test's own: 127.0.0.1, a free port, a temp directory, no automatic persistence (unless started with
/// an append-only file). It can be
/// stopped and started again on the same port, keeping its data (SHUTDOWN SAVE writes it to the temp directory, which
/// the new process loads) as a Redis with persistence would after a restart. Only this process is ever signalled.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/redis-server";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly string _directory;
    private readonly string? _appendFsync;
    private Process? _process;
    private ProcessOutput? _output;

    private RedisServer(int port, string directory, string? appendFsync)
    {
        Port = port;
        _directory = directory;
        _appendFsync = appendFsync;
    }

    public int Port { get; }

    /// <summary>The address for <c>--backplane</c>.</summary>
    public string Address => $"redis://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts a Redis; skips the test (or fails it under HOSTKIT_REQUIRE_ALL=1) where redis-server is not installed.</summary>
    public static Task<RedisServer> StartAsync() => StartAsync(appendFsync: null);

    /// <summary>
    /// Starts a Redis that writes every change to an append-only file in its directory, synced as <paramref name="appendFsync"/>
    /// says (<c>always</c>: before answering); <see cref="StartAgainAsync"/> after <see cref="KillAsync"/> then loads that file.
    /// </summary>
    public static Task<RedisServer> StartWithAppendOnlyFileAsync(string appendFsync) => StartAsync(appendFsync);

    private static async Task<RedisServer> StartAsync(string? appendFsync)
    {
        RequiredComponent.File(Executable, "redis-server");
        var redis = new RedisServer(FreePort.Next(), Directory.CreateTempSubdirectory("hostkit-redis-").FullName, appendFsync);
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (again) on the same port with the same data directory, and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Executable,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", _directory, "--dbfilename", "dump.rdb",
             .. _appendFsync is null ? ["--appendonly", "no"] : new[] { "--appendonly", "yes", "--appendfsync", _appendFsync }])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _output = ProcessOutput.Of(_process);
        await _output.WaitForAsync(l => l.Contains("Ready to accept connections", StringComparison.Ordinal), Timeout, () => _process.HasExited);
    }

    /// <summary>Stops the server; with <paramref name="keepData"/> it first writes its data, which <see cref="StartAgainAsync"/> loads.</summary>
    public async Task StopAsync(bool keepData = true)
    {
        if (_process is null || _process.HasExited)
            return;
        await CommandAsync(keepData ? "SHUTDOWN SAVE" : "SHUTDOWN NOSAVE");
        await _process.WaitForExitAsync().WaitAsync(Timeout);
        _process.Dispose();
        _process = null;
    }

    /// <summary>The running server's process id.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");

    /// <summary>SIGSTOP: the server hangs with its connections open, as a paused VM or a stuck disk would make it.</summary>
    public void Pause() => DemoProcess.Signal("STOP", Pid);

    /// <summary>SIGCONT: the paused server runs on, and answers what queued meanwhile.</summary>
    public void Resume() => DemoProcess.Signal("CONT", Pid);

    /// <summary>SIGKILL: the server dies at once; with no persistence, <see cref="StartAgainAsync"/> then starts it empty.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        DemoProcess.Signal("KILL", _process.Id);
        await _process.WaitForExitAsync().WaitAsync(Timeout);
        _process.Dispose();
        _process = null;
    }

    /// <summary>
    /// The length of the append-only file Redis writes to now (Redis 7 keeps it under <c>appendonlydir</c>, as a base file and
    /// the newest <c>*.incr.aof</c> it appends to).
    /// </summary>
    public long AppendOnlyFileLength() => new FileInfo(IncrementalAppendOnlyFile()).Length;

    /// <summary>
    /// Cuts the append-only file back to <paramref name="length"/> bytes, as a crash of Redis's machine leaves it when the
    /// writes after that point were not yet synced to disk (<c>appendfsync everysec</c>). Only while Redis is not running;
    /// Redis loads a file whose last command is cut short (<c>aof-load-truncated yes</c>, its default). Returns the length before.
    /// </summary>
    public long TruncateAppendOnlyFile(long length)
    {
        if (_process is not null)
            throw new InvalidOperationException("Stop redis-server before cutting its append-only file.");
        using var file = new FileStream(IncrementalAppendOnlyFile(), FileMode.Open, FileAccess.Write);
        var before = file.Length;
        file.SetLength(length);
        return before;
    }

    private string IncrementalAppendOnlyFile() =>
        Directory.GetFiles(Path.Combine(_directory, "appendonlydir"), "*.incr.aof")
            .OrderBy(f => int.Parse(Path.GetFileName(f).Split('.')[2], CultureInfo.InvariantCulture))
            .LastOrDefault() ?? throw new InvalidOperationException("redis-server keeps no append-only file here.");

    /// <summary>Sends one inline command and returns the first line of the reply (empty when the server closed, as SHUTDOWN does).</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port).WaitAsync(Timeout);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n")).AsTask().WaitAsync(Timeout);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync().WaitAsync(Timeout) ?? string.Empty;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Resume(); // a paused server would not die of SIGKILL any later, but be sure it is not left stopped
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
