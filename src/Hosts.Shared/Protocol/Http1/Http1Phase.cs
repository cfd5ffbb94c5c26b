namespace HostKit.Hosts.Protocol;

/// <summary>Where one HTTP/1.1 connection is, server side (after h11's <c>_state.py</c>). See <see cref="Http1Protocol"/>.</summary>
public enum Http1Phase
{
    /// <summary>Between requests: waiting for the first byte of the next one (the keep-alive timeout runs).</summary>
    Idle,

    /// <summary>Part of a request head has arrived (the header timeout runs).</summary>
    ReadingHead,

    /// <summary>The head is complete and the application runs; it may read the request body.</summary>
    Running,

    /// <summary>The response head is written and its body is being sent; no interim response may follow.</summary>
    Responding,

    /// <summary>The response is sent; the unread rest of the request body is read and dropped, to reach the next request.</summary>
    Draining,

    /// <summary>The response is sent and the connection closes: the client, the application or the host said so.</summary>
    MustClose,

    /// <summary>The connection switched protocols (101): its bytes now belong to the websocket.</summary>
    Upgraded,

    /// <summary>A request was refused; its answer goes out and the connection closes. Nothing leaves this phase.</summary>
    Error,
}
