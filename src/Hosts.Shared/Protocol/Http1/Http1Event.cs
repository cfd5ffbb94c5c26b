namespace HostKit.Hosts.Protocol;

/// <summary>What happens to one HTTP/1.1 connection, server side: the inputs of <see cref="Http1Transitions.Next"/>.</summary>
internal enum Http1Event
{
    /// <summary>Bytes of a request head arrived, not yet the whole head.</summary>
    HeadBytesArrived,

    /// <summary>A whole request head arrived and was accepted: the application runs.</summary>
    HeadCompleted,

    /// <summary>The request was refused: its head (or the pump, before the application saw it), or its body while the application runs.</summary>
    RequestRefused,

    /// <summary>The application reads request body bytes (or asks whether a <c>100 Continue</c> is due).</summary>
    BodyRead,

    /// <summary>The response head is written.</summary>
    ResponseStarted,

    /// <summary>The response is sent, the request body is all read, and the connection stays open.</summary>
    ResponseSent,

    /// <summary>The response is sent and the connection stays open, but part of the request body is still unread.</summary>
    ResponseSentBodyUnread,

    /// <summary>The response is sent and the connection closes (its plan said so).</summary>
    ResponseSentClosing,

    /// <summary>Unread request body bytes are read and dropped.</summary>
    DrainRead,

    /// <summary>The unread request body is dropped to its end: the next request may start.</summary>
    DrainEnded,

    /// <summary>The unread request body was too long, malformed or cut short: its end is unknown.</summary>
    DrainFailed,

    /// <summary>The application accepted a websocket: the 101 goes out.</summary>
    Upgraded,

    /// <summary>The answer to a refused request is written.</summary>
    RejectionWritten,
}
