namespace HostKit.Hosts.Protocol;

/// <summary>
/// Every move of an HTTP/1.1 connection's <see cref="Http1Phase"/>, as data (after h11's
/// <c>EVENT_TRIGGERED_TRANSITIONS</c>, and in the shape of <see cref="SessionStateMachine.Next"/>).
/// <see cref="Http1Protocol"/> changes its phase only through <see cref="Next"/>, so a step taken in the
/// wrong phase is refused here, in one place, whatever entry point it came through.
/// </summary>
internal static class Http1Transitions
{
    /// <summary>The phase <paramref name="phase"/> moves to on <paramref name="http1Event"/>: the whole table. Anything not listed throws.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="http1Event"/> is not allowed in <paramref name="phase"/>.</exception>
    public static Http1Phase Next(Http1Phase phase, Http1Event http1Event) => (phase, http1Event) switch
    {
        (Http1Phase.Idle or Http1Phase.ReadingHead, Http1Event.HeadBytesArrived) => Http1Phase.ReadingHead,
        (Http1Phase.Idle or Http1Phase.ReadingHead, Http1Event.HeadCompleted) => Http1Phase.Running,
        (Http1Phase.Idle or Http1Phase.ReadingHead or Http1Phase.Error, Http1Event.RequestRefused) => Http1Phase.Error,
        // A refused body leaves the application running: it may still answer, and the connection closes after.
        (Http1Phase.Running, Http1Event.RequestRefused) => Http1Phase.Running,
        // The body may be read while the response is sent (a streamed echo), never after.
        (Http1Phase.Running or Http1Phase.Responding, Http1Event.BodyRead) => phase,
        // After a refusal a body read is answered "refused" again (its end is unknown), so a caller that reads on sees the same refusal.
        (Http1Phase.Error, Http1Event.BodyRead) => Http1Phase.Error,
        (Http1Phase.Running, Http1Event.ResponseStarted) => Http1Phase.Responding,
        (Http1Phase.Running, Http1Event.Upgraded) => Http1Phase.Upgraded,
        (Http1Phase.Responding, Http1Event.ResponseSent) => Http1Phase.Idle,
        (Http1Phase.Responding, Http1Event.ResponseSentBodyUnread) => Http1Phase.Draining,
        (Http1Phase.Responding, Http1Event.ResponseSentClosing) => Http1Phase.MustClose,
        (Http1Phase.Draining, Http1Event.DrainRead) => Http1Phase.Draining,
        (Http1Phase.Draining, Http1Event.DrainEnded) => Http1Phase.Idle,
        (Http1Phase.Draining, Http1Event.DrainFailed) => Http1Phase.MustClose,
        // Only before a response started: afterwards the connection is aborted instead.
        (Http1Phase.Idle or Http1Phase.ReadingHead or Http1Phase.Running or Http1Phase.Error, Http1Event.RejectionWritten) => Http1Phase.Error,
        _ => throw new InvalidOperationException($"The HTTP/1.1 connection is in phase {phase}; {http1Event} is not allowed there."),
    };
}
