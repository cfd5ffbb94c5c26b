using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// The workloads, in report order. The counts are issue 17's; a quick run scales the big ones down so that the
/// whole run stays about a minute, and its ids carry the counts it ran (a quick <c>ws-arena-64</c> is the full
/// run's <c>ws-arena-512</c> at 64 connections), so an id never disagrees with its title.
/// </summary>
internal static class WorkloadCatalog
{
    public static IReadOnlyList<Workload> Create(bool quick)
    {
        int Scale(int full, int small) => quick ? small : full;
        var idle = Scale(10_000, 1_000);
        var arenaSmall = Scale(512, 64);
        var arenaLarge = Scale(4096, 256);
        var wide = Scale(256, 64);
        var fanoutMid = Scale(100, 10);
        var fanoutLarge = Scale(1000, 100);
        return
        [
            new IdleWebSocketsWorkload("idle-ws", idle, quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5)),
            new HttpWorkload("plaintext", "GET /plaintext, 64 connections", "plaintext.lua", [], 64, ServerFeatures.Http),
            new HttpWorkload("pipelined", "GET /plaintext pipelined x16, 64 connections", "pipeline.lua", ["16"], 64, ServerFeatures.Http | ServerFeatures.HttpPipelining),
            new HttpWorkload("post-echo-4k", "POST /echo 4 KiB, 64 connections", "post-echo.lua", ["4096"], 64, ServerFeatures.Http),
            new Http2Workload("h2c-plaintext", "GET /plaintext over HTTP/2 (h2c, h2load), 16 connections x 16 streams", "/plaintext", 16, 16),
            .. Echo("32x32B", "32 connections x 32 B", 32, 32),
            .. Echo($"{wide}x32B", $"{wide} connections x 32 B", wide, 32),
            .. Echo("32x4KiB", "32 connections x 4 KiB", 32, 4096),
            new ChatTextEchoWorkload("ws-chat-text", "websocket echo, chat events (JSON, 100-220 B, each different), uncompressed, 32 connections", 32, ChatCompression.None),
            new ChatTextEchoWorkload("ws-chat-deflate", "websocket echo, chat events, permessage-deflate without context takeover, 32 connections", 32, ChatCompression.NoContextTakeover),
            new ChatTextEchoWorkload("ws-chat-deflate-takeover", "websocket echo, chat events, permessage-deflate with context takeover, 32 connections", 32, ChatCompression.ContextTakeover),
            new WebSocketEchoWorkload($"ws-arena-{arenaSmall}", $"websocket, HTTP Arena profile: {arenaSmall} connections x 16 in flight x 5 B text", arenaSmall, 16, 5, text: true),
            new WebSocketEchoWorkload($"ws-arena-{arenaLarge}", $"websocket, HTTP Arena profile: {arenaLarge} connections x 16 in flight x 5 B text", arenaLarge, 16, 5, text: true),
            new ChatFanoutWorkload("chat-fanout-1", 1),
            new ChatFanoutWorkload($"chat-fanout-{fanoutMid}", fanoutMid),
            new ChatFanoutWorkload($"chat-fanout-{fanoutLarge}", fanoutLarge),
        ];
    }

    /// <summary>
    /// One echo shape in text and in binary: a chat sends text, which a server must also check as
    /// UTF-8, so text is what the targets are judged on; binary shows what the framing alone costs.
    /// </summary>
    private static WebSocketEchoWorkload[] Echo(string shape, string title, int connections, int size) =>
    [
        new($"ws-echo-{shape}-text", $"websocket echo, text, {title}", connections, 1, size, text: true),
        new($"ws-echo-{shape}-binary", $"websocket echo, binary, {title}", connections, 1, size, text: false),
    ];
}
