namespace HostKit.Hosts;

/// <summary>
/// Where one <see cref="Http1PipeConnection"/> stands, in one value (after Kestrel's <c>RequestProcessingStatus</c>). The
/// loop alone sets it, forward only: <see cref="Opening"/>, then <see cref="WaitingForHead"/> and <see cref="Serving"/> in
/// turn while keep-alive lasts, then one end: <see cref="OutputEnded"/>, <see cref="HandedOff"/> or <see cref="Closed"/>. The
/// deadline of a wait for a head is the connection's <see cref="HostKit.Hosts.Runtime.HeadDeadline"/>; whether answers
/// wait to be flushed is the output pipe's to say (<see cref="System.IO.Pipelines.PipeWriter.UnflushedBytes"/>); whether
/// the server stops is the server's (<see cref="HostKit.Hosts.Runtime.ServerActivity.IsStopping"/>).
/// </summary>
public enum Http1ConnectionStatus
{
    /// <summary>Before the first request: the host's <see cref="Http1PipeConnection.Opening"/> (a TLS handshake) runs.</summary>
    Opening,

    /// <summary>Waiting for a request head, within its deadline; answers made so far go out before the wait for the network.</summary>
    WaitingForHead,

    /// <summary>A request is served: the websocket offer, the application, the answer, the drain of an unread body.</summary>
    Serving,

    /// <summary>The output is done, nothing more is written: a refusal was answered (<see cref="LingeringClose"/>), a websocket ran to its end, or an answer was aborted.</summary>
    OutputEnded,

    /// <summary>An accepted websocket carries the connection on in another object (<see cref="Http1PipeConnection.WebSocketHandOff"/>): this one lets go of it.</summary>
    HandedOff,

    /// <summary>The pipes are completed and the host's <see cref="Http1PipeConnection.Closed"/> ran.</summary>
    Closed,
}
