using System.Diagnostics;
using System.Net.Sockets;
using HostKit.Hosts;
using HostKit.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HostKit.Tests.Hosting;

/// <summary>
/// The host kit's accept loop (raw's) out of descriptors. An accept that fails with EMFILE is made here rather than by
/// running a process out of descriptors: at true exhaustion on a loaded machine the .NET runtime itself aborts
/// ("Out of memory.", it cannot open /proc/meminfo), which no host can prevent and which would make such a test flaky;
/// the default connection limit keeps a process from getting there (DescriptorLimitTests).
/// </summary>
public class AcceptLoopTests
{
    [Fact]
    public async Task Out_of_descriptors_the_loop_waits_logs_one_line_per_interval_without_a_stack_and_accepts_again()
    {
        var log = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        var runtime = new HostRuntime("test", (_, _) => ValueTask.FromResult(Body.Empty), new ServerOptions { LoggerFactory = loggerFactory });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        const int Failures = 50;
        var attempts = 0;
        var served = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<Socket>();
        var elapsed = Stopwatch.StartNew();

        _ = AcceptLoop.RunAsync(
            () => ++attempts switch
            {
                <= Failures => ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets)),
                Failures + 1 => ValueTask.FromResult(socket),
                _ => new ValueTask<Socket>(never.Task),
            },
            accepted => served.SetResult(accepted),
            runtime,
            TimeSpan.FromMilliseconds(1));

        Assert.Same(socket, await served.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        // One line per ten seconds however many attempts failed (the old loop logged each, with its stack).
        var lines = log.Entries.Count(e => e.EventId.Id == 10);
        Assert.InRange(lines, 1, 1 + (int)(elapsed.Elapsed / TimeSpan.FromSeconds(10)));
        Assert.Contains("Out of file descriptors", log.Entries.First(e => e.EventId.Id == 10).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Entries, e => e.Exception is not null);
    }

    [Fact]
    public async Task A_pull_accept_waits_out_a_want_of_descriptors_and_gives_null_once_the_server_stops()
    {
        var runtime = new HostRuntime("test", (_, _) => ValueTask.FromResult(Body.Empty), new ServerOptions());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var attempts = 0;

        // As Kestrel's listener asks for connections: one at a time, failures kept inside.
        var accepted = await AcceptLoop.AcceptAsync(
            () => ++attempts <= 3 ? ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets)) : ValueTask.FromResult(socket),
            runtime,
            TimeSpan.FromMilliseconds(1)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(socket, accepted);
        Assert.Equal(4, attempts);

        // The listener closed by a stop: the end of the connections, not an error.
        runtime.Activity.BeginStopping();
        Assert.Null(await AcceptLoop.AcceptAsync(() => ValueTask.FromException<Socket>(new ObjectDisposedException("listener")), runtime));
    }

    [Fact]
    public async Task An_engine_s_loop_logs_each_failure_serves_what_it_accepts_and_ends_only_when_its_classifier_says_stopped()
    {
        var log = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        var runtime = new HostRuntime("test", (_, _) => ValueTask.FromResult(Body.Empty), new ServerOptions { LoggerFactory = loggerFactory });
        var attempts = 0;
        var served = new List<string>();

        // As HttpListener's contexts come: the engine accepted the connection, the loop gets what it made of it.
        var loop = AcceptLoop.RunAsync(
            () => ++attempts switch
            {
                1 => ValueTask.FromException<string>(new InvalidOperationException("the engine failed one")),
                2 => ValueTask.FromException<string>(new FileLoadException("no descriptor for an assembly")),
                3 => ValueTask.FromResult("request"),
                _ => ValueTask.FromException<string>(new ObjectDisposedException("listener")),
            },
            served.Add,
            ex => ex switch
            {
                ObjectDisposedException => AcceptFailure.Stopped,
                InvalidOperationException => AcceptFailure.ConnectionFailed,
                _ => AcceptFailure.Unexplained,
            },
            runtime);

        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["request"], served);
        Assert.Equal(4, attempts);
        // Both failures logged with their stacks (event 6), none taken for a want of descriptors (event 10).
        Assert.Equal(2, log.Entries.Count(e => e.EventId.Id == 6 && e.Exception is not null));
        Assert.DoesNotContain(log.Entries, e => e.EventId.Id == 10);
    }
}
