using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace HostKit.ChatBench;

/// <summary>
/// Cross-node fan-out: members of one room spread over a kestrel node (A) and a raw node (B) sharing Redis; a sender on
/// A says something; the time from its send to each member's receipt, and to the last member's. Messages are paced
/// (the next one leaves once every member has the last, plus a pause), so what is measured is the latency of one
/// message through node A, Redis, both nodes' fan-out and the sockets, not a queue building up.
/// </summary>
internal static class CrossNodeFanOut
{
    private const int Warmup = 20;

    private static readonly byte[] Marker = "\"text\":\"fan "u8.ToArray();

    public static async Task RunAsync(string backplane, int members, int messages)
    {
        messages += Warmup;
        await using var nodeA = await DemoNode.StartAsync("kestrel", backplane);
        await using var nodeB = await DemoNode.StartAsync("raw", backplane);
        var room = "fanout";
        var sockets = new ClientWebSocket[members];
        var receivedAt = new long[messages, members];
        var remaining = new int[messages];
        var done = Enumerable.Range(0, messages).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        Array.Fill(remaining, members);

        for (var m = 0; m < members; m++)
        {
            sockets[m] = await ConnectAsync(m % 2 == 0 ? nodeA.Address : nodeB.Address, room, $"m{m}");
        }
        var loops = sockets.Select((socket, m) => Task.Run(() => ReceiveAsync(socket, m, receivedAt, remaining, done))).ToArray();
        using var sender = await ConnectAsync(nodeA.Address, room, "sender");
        _ = DrainAsync(sender);

        var processes = new[] { Process.GetCurrentProcess(), nodeA.Process, nodeB.Process };
        var cpuBefore = new TimeSpan[processes.Length];
        var sentAt = new long[messages];
        var wall = new Stopwatch();
        for (var i = 0; i < messages; i++)
        {
            if (i == Warmup)
            {
                // Each member gets events in id order, so once message 0 reached everyone, the join storm (every join
                // reaching every member already there) is behind it; the warm-up messages then let the JIT settle.
                cpuBefore = [.. processes.Select(CpuTime)];
                wall.Start();
            }
            sentAt[i] = Stopwatch.GetTimestamp();
            await sender.SendAsync(Encoding.UTF8.GetBytes($"fan {i}"), WebSocketMessageType.Text, true, CancellationToken.None);
            await done[i].Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(20);
        }
        wall.Stop();
        var cpu = processes.Select((p, i) => (CpuTime(p) - cpuBefore[i]).TotalSeconds).ToArray();

        var measured = messages - Warmup;
        var last = new double[measured];
        var each = new double[measured * members];
        for (var i = 0; i < measured; i++)
        {
            for (var m = 0; m < members; m++)
            {
                var latency = Stopwatch.GetElapsedTime(sentAt[Warmup + i], receivedAt[Warmup + i, m]).TotalMilliseconds;
                each[i * members + m] = latency;
                last[i] = Math.Max(last[i], latency);
            }
        }
        Array.Sort(last);
        Array.Sort(each);
        Console.WriteLine();
        Console.WriteLine($"## Cross-node fan-out: {members} members ({(members + 1) / 2} on kestrel node A, {members / 2} on raw node B), sender on A, {measured} paced messages after {Warmup} of warm-up");
        Console.WriteLine();
        Console.WriteLine("| measured | p50 | p99 | max |");
        Console.WriteLine("| --- | --: | --: | --: |");
        Console.WriteLine($"| send to the last member's receipt | {P(last, 0.50)} | {P(last, 0.99)} | {last[^1]:N1} ms |");
        Console.WriteLine($"| send to each member's receipt | {P(each, 0.50)} | {P(each, 0.99)} | {each[^1]:N1} ms |");
        Console.WriteLine();
        var seconds = wall.Elapsed.TotalSeconds;
        Console.WriteLine($"CPU while measuring ({seconds:N1} s): this client {cpu[0]:N2} s ({cpu[0] / seconds:P0} of one core), node A {cpu[1]:N2} s, node B {cpu[2]:N2} s; {Environment.ProcessorCount} cores.");

        foreach (var socket in sockets)
            socket.Abort();
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var socket in sockets)
            socket.Dispose();

        static string P(double[] sorted, double p) => $"{BackplaneThroughput.Percentile(sorted, p):N1} ms";
    }

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri node, string room, string name)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://{node.Authority}/ws/chat?room={room}&name={name}"), CancellationToken.None);
        return socket;
    }

    /// <summary>One member: notes when each "fan N" message arrives; everything else (joins, history) is read and dropped.</summary>
    private static async Task ReceiveAsync(ClientWebSocket socket, int member, long[,] receivedAt, int[] remaining, TaskCompletionSource[] done)
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                var now = Stopwatch.GetTimestamp();
                var json = buffer.AsSpan(0, result.Count);
                var at = json.IndexOf(Marker);
                if (at < 0 || !Utf8Parser.TryParse(json[(at + Marker.Length)..], out int index, out _) || index >= done.Length)
                    continue;
                receivedAt[index, member] = now;
                if (Interlocked.Decrement(ref remaining[index]) == 0)
                    done[index].TrySetResult();
            }
        }
        catch (WebSocketException)
        {
            // Aborted at the end.
        }
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[8192];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
        }
    }
}
