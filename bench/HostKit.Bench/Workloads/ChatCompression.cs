namespace HostKit.Bench.Workloads;

/// <summary>What the chat-text echo offers the server: no compression, or permessage-deflate with or without context takeover.</summary>
internal enum ChatCompression
{
    /// <summary>No <c>Sec-WebSocket-Extensions</c>: plain text frames, as every other echo workload.</summary>
    None,

    /// <summary>
    /// <c>permessage-deflate; server_no_context_takeover; client_no_context_takeover</c>: each message compressed on its
    /// own, what a HostKit host answers any offer with unless <c>CompressionContextTakeover</c> is on.
    /// </summary>
    NoContextTakeover,

    /// <summary>Plain <c>permessage-deflate</c>: both sides keep their window between messages, where the server allows it.</summary>
    ContextTakeover,
}
