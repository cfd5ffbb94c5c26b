using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// WS /ws/echo with chat events for messages: JSON of about 100-220 bytes (room, id, sender, time, a sentence), each
/// different, from wsload's fixed pseudo-random list, 32 connections, one in flight, compressed or not
/// (<paramref name="compression"/>). The rows show the bytes on the wire per message beside msgs/s and CPU per message,
/// so what compression saves on the wire and costs in CPU reads off one table. The compressed variants run only on
/// servers that accept permessage-deflate, and have no C ceiling (the ceiling server does not compress); the
/// generator's own CPU per message, in the same row, shows it was not the limit.
/// </summary>
internal sealed class ChatTextEchoWorkload(string id, string title, int connections, ChatCompression compression)
    : WebSocketEchoWorkload(id, title, connections, 1, 0, text: true)
{
    public ChatCompression Compression => compression;

    public override ServerFeatures Needs => compression == ChatCompression.None ? ServerFeatures.WebSockets : ServerFeatures.WebSockets | ServerFeatures.WebSocketCompression;

    public override bool HasCeiling => compression == ChatCompression.None;

    public override bool OnlyWhereServed => compression != ChatCompression.None;

    public override bool CountsWireBytes => true;

    protected override IEnumerable<string> PayloadOptions => ["--chat", "--deflate", compression switch
    {
        ChatCompression.NoContextTakeover => "no-takeover",
        ChatCompression.ContextTakeover => "takeover",
        _ => "none",
    }];
}
