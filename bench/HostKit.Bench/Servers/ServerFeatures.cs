namespace HostKit.Bench.Servers;

/// <summary>What a server can be measured on; a workload needing more is a row that says so.</summary>
[Flags]
internal enum ServerFeatures
{
    None = 0,
    Http = 1,
    WebSockets = 2,

    /// <summary>Answers pipelined requests (the HttpListener host declares it does not).</summary>
    HttpPipelining = 4,

    /// <summary>Serves the Demo's chat (WS /ws/chat): HostKit hosts only, and only once the chat is built (probed).</summary>
    Chat = 8,

    /// <summary>Speaks HTTP/2 by prior knowledge (h2c) when started with <c>--http2</c>: the hosts whose <c>--host list</c> says HTTP/2.</summary>
    Http2 = 16,

    /// <summary>
    /// Accepts permessage-deflate when the client offers it: the HostKit hosts whose <c>--host list</c> says compression
    /// (started with it on), the bare ASP.NET Core app and Node + ws (both with it on).
    /// </summary>
    WebSocketCompression = 32,

    /// <summary>What every baseline serves: the Demo's HTTP and echo routes.</summary>
    All = Http | WebSockets | HttpPipelining,
}
