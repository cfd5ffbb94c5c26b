namespace HostKit.Hosts.Runtime;

/// <summary>What one <see cref="MessageAssembler.ReadMessageAsync"/> turned up.</summary>
internal readonly record struct ReceiveResult(ReceiveOutcome Outcome, WebSocketMessage Message)
{
    public static ReceiveResult PeerClosed => new(ReceiveOutcome.PeerClosed, default);

    public static ReceiveResult TooBig => new(ReceiveOutcome.TooBig, default);

    public static ReceiveResult Unfinished => new(ReceiveOutcome.Unfinished, default);

    public static ReceiveResult Of(WebSocketMessage message) => new(ReceiveOutcome.Message, message);
}

/// <summary>The kinds of <see cref="ReceiveResult"/>.</summary>
internal enum ReceiveOutcome
{
    /// <summary>A whole message, under the size limit.</summary>
    Message,

    /// <summary>The peer's close frame.</summary>
    PeerClosed,

    /// <summary>A message over the limit (<see cref="WebSocketOptions.MaxMessageBytes"/> or the route's), seen at a frame header or once that many bytes came; the rest of it is still unread.</summary>
    TooBig,

    /// <summary>A message whose rest did not come within <see cref="WebSocketOptions.MessageTimeout"/> of its first frame.</summary>
    Unfinished,
}
