using System.Globalization;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>
/// <c>--workers 2</c>: two processes on one port (SO_REUSEPORT), one chat through the Redis backplane, a killed worker
/// replaced, a clean stop on SIGTERM; and the clear errors where workers cannot work.
/// </summary>
[Collection(ClusterCollection.Name)]
public partial class WorkerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("raw")]
    [InlineData("kestrel")]
    public async Task Two_workers_serve_one_port_chat_across_workers_and_a_killed_one_is_replaced(string host)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var supervisor = await DemoProcess.StartAsync(host, 0, "--workers", "2", "--backplane", redis.Address,
            "--set", "HostKit:Chat:MaxMessagesPerSecond=0");
        var port = supervisor.Address.Port;
        Assert.Contains(supervisor.Output.Lines, l => l.StartsWith("HostKit: serving on ", StringComparison.Ordinal) && l.EndsWith(" with 2 workers", StringComparison.Ordinal));
        // One "serving on" line for the whole: each worker's own comes relayed as "[worker N] ready: ...".
        foreach (var worker in new[] { "[worker 1] ready: ", "[worker 2] ready: " })
            await supervisor.Output.WaitForAsync(l => l.StartsWith(worker, StringComparison.Ordinal), Timeout);
        Assert.Single(supervisor.Output.Lines, l => l.Contains("serving on", StringComparison.Ordinal));
        var pids = WorkerPids(supervisor);
        Assert.Equal(2, pids.Count);

        // The kernel spreads connections over the two workers: connect until each holds some.
        var members = new List<WebSocket>();
        try
        {
            while (pids.Values.Any(pid => SocketOwners.EstablishedOnPort(pid, port) == 0))
            {
                Assert.True(members.Count < 64, "64 connections all went to one worker");
                var member = await ChatSockets.ConnectAsync(supervisor.Address, ChatApps.Path("workers", $"m{members.Count}"));
                await member.ReceiveUntilAsync(e => e.Type == "join" && e.Name == $"m{members.Count}");
                members.Add(member);
            }
            await members[0].SendTextAsync("one chat across workers");
            var heard = new List<ReceivedEvent>();
            foreach (var member in members)
                heard.Add((await member.ReceiveUntilAsync(e => e.Text == "one chat across workers"))[^1]);
            Assert.Single(heard.Select(e => e.Raw).Distinct());

            // Kill worker 1 as a crash would: the supervisor starts another in its place, on the same port.
            DemoProcess.Signal("KILL", pids[1]);
            await supervisor.Output.WaitForAsync(l => l.Contains($"Worker 1 (pid {pids[1]}) exited", StringComparison.Ordinal), Timeout);
            var replaced = await supervisor.Output.WaitForAsync(l => StartedLine().Match(l) is { Success: true } m && m.Groups[1].Value == "1" && m.Groups[2].Value != pids[1].ToString(CultureInfo.InvariantCulture), Timeout);
            var newPid = int.Parse(StartedLine().Match(replaced).Groups[2].Value, CultureInfo.InvariantCulture);
            await supervisor.Output.WaitForAsync(l => l.StartsWith("[worker 1] ready: ", StringComparison.Ordinal) && supervisor.Output.Lines.Count(x => x.StartsWith("[worker 1] ready: ", StringComparison.Ordinal)) >= 2, Timeout);

            // The port still serves, the chat goes on, and what was said reaches a member of either worker.
            using var http = new HttpClient { BaseAddress = supervisor.Address, Timeout = Timeout };
            Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));
            using var late = await ChatSockets.ConnectAsync(supervisor.Address, ChatApps.Path("workers", "late"));
            var history = await late.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "late");
            Assert.Contains(history, e => e.Text == "one chat across workers");

            Assert.Equal(0, await supervisor.StopAsync());
            Assert.False(Directory.Exists($"/proc/{pids[2]}"), "worker 2 outlived its supervisor");
            Assert.False(Directory.Exists($"/proc/{newPid}"), "the new worker 1 outlived its supervisor");
        }
        finally
        {
            foreach (var member in members)
                member.Dispose();
        }
    }

    /// <summary>
    /// A terminal's Ctrl+C goes to the whole process group, so each worker gets SIGINT from the group and SIGTERM from its
    /// supervisor. That is still one graceful stop: every websocket reads 1001, and a request in flight is answered.
    /// </summary>
    [Theory]
    [InlineData("raw")]
    [InlineData("kestrel")]
    public async Task Ctrl_C_to_the_process_group_stops_every_worker_gracefully(string host)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var supervisor = await DemoProcess.StartInOwnProcessGroupAsync(host, "--workers", "2", "--backplane", redis.Address);
        var port = supervisor.Address.Port;
        var pids = WorkerPids(supervisor);
        Assert.Equal(2, pids.Count);
        var sockets = new List<WebSocket>();
        try
        {
            // Until each worker holds at least three websockets, so both workers' stops are seen.
            while (sockets.Count < 6 || pids.Values.Any(pid => SocketOwners.EstablishedOnPort(pid, port) < 3))
            {
                Assert.True(sockets.Count < 64, "64 connections all went to one worker");
                var socket = await ChatSockets.ConnectAsync(supervisor.Address, "/ws/echo");
                await socket.SendTextAsync("open");
                Assert.Equal("open", await socket.ReceiveTextAsync());
                sockets.Add(socket);
            }
            // A request in flight: its application is reading the body (the 100 Continue says so) when the signal comes.
            // Chunked, so the Demo's echo reads the body before it answers (a short one with a length is streamed back as it comes).
            await using var upload = await LoopbackConnection.OpenAsync(supervisor.Address);
            await upload.SendAsync($"POST /echo HTTP/1.1\r\nHost: {supervisor.Address.Authority}\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            Assert.Equal(100, (await upload.ReadResponseAsync()).Status);

            supervisor.SignalGroup("INT");

            foreach (var socket in sockets)
                Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.ReceiveCloseAsync());
            await upload.SendAsync("5\r\nhello\r\n0\r\n\r\n");
            var answer = await upload.ReadResponseAsync();
            Assert.Equal((200, "hello"), (answer.Status, answer.Text));
            Assert.Equal(0, await supervisor.WaitForExitAsync());
            Assert.DoesNotContain(supervisor.Output.Lines, l => l.Contains("Stopped at once", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
    }

    [Fact]
    public async Task Workers_with_the_chat_and_no_backplane_are_refused_at_start()
    {
        var (code, output) = await DemoProcess.RunToEndAsync("--workers", "2", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, code);
        Assert.Contains("--workers 2 would split the chat", output, StringComparison.Ordinal);
        Assert.Contains("--backplane redis://HOST:PORT", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Worker 1 started", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_on_a_host_that_cannot_share_a_port_are_refused_at_start()
    {
        var (code, output) = await DemoProcess.RunToEndAsync("--workers", "2", "--host", "httplistener", "--backplane", "redis://127.0.0.1:1", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, code);
        Assert.Contains("the host 'httplistener' cannot do (it lacks SharedPort", output, StringComparison.Ordinal);
    }

    /// <summary>Worker number to pid, from the supervisor's "Worker N started (pid P)" lines (the latest for each).</summary>
    private static Dictionary<int, int> WorkerPids(DemoProcess supervisor)
    {
        var pids = new Dictionary<int, int>();
        foreach (var line in supervisor.Output.Lines)
        {
            if (StartedLine().Match(line) is { Success: true } match)
                pids[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return pids;
    }

    [GeneratedRegex(@"Worker (\d+) started \(pid (\d+)\)")]
    private static partial Regex StartedLine();
}
