// Usage:
//   echo  ws://127.0.0.1:PORT/ws/echo CONNECTIONS SIZE WARMUP_S MEASURE_S   -> messages/s, round trips in flight = CONNECTIONS
//   idle  ws://127.0.0.1:PORT/ws/echo COUNT SERVER_PID                      -> server RSS growth per idle websocket
using System.Diagnostics;
using System.Net.WebSockets;

var mode = args[0];
var uri = new Uri(args[1]);
return mode switch
{
    "echo" => await EchoAsync(uri, int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5])),
    "idle" => await IdleAsync(uri, int.Parse(args[2]), int.Parse(args[3])),
    _ => throw new ArgumentException("mode is echo or idle"),
};

static async Task<int> EchoAsync(Uri uri, int connections, int size, int warmupSeconds, int measureSeconds)
{
    long count = 0;
    var measuring = false;
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(warmupSeconds + measureSeconds));
    var payload = new byte[size];
    var workers = Enumerable.Range(0, connections).Select(async _ =>
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        var buffer = new byte[Math.Max(size, 16)];
        while (!stop.IsCancellationRequested)
        {
            await socket.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
            var received = 0;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
                received += result.Count;
                if (result.EndOfMessage)
                    break;
            }
            if (Volatile.Read(ref measuring))
                Interlocked.Increment(ref count);
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }).ToList();
    await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
    Volatile.Write(ref measuring, true);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(workers);
    Console.WriteLine($"echo: {connections} connections, {size} B: {Interlocked.Read(ref count) / clock.Elapsed.TotalSeconds:F0} msgs/s");
    return 0;
}

static async Task<int> IdleAsync(Uri uri, int count, int serverPid)
{
    var before = Rss(serverPid);
    var sockets = new List<ClientWebSocket>();
    for (var i = 0; i < count; i++)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, CancellationToken.None);
        sockets.Add(socket);
    }
    await Task.Delay(TimeSpan.FromSeconds(5));
    var after = Rss(serverPid);
    Console.WriteLine($"idle: {count} websockets, server RSS {before / 1024} KiB -> {after / 1024} KiB: {(after - before) / (double)count / 1024:F1} KiB per socket");
    foreach (var socket in sockets)
        socket.Abort();
    return 0;
}

static long Rss(int pid) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
