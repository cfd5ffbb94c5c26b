using System.Net.WebSockets;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The one place a session's <see cref="SessionState"/> changes, and where its close status is
/// recorded: the code that takes it out of <see cref="SessionState.Open"/> is the code reported
/// (ours if we closed first, the peer's if it did, 1006 if the connection dropped first).
/// </summary>
internal sealed class SessionStateMachine
{
    /// <summary>RFC 6455's 1006: the connection dropped without a close frame (the protocol's rule; <c>WebSocketSession</c> shows it to hosts).</summary>
    public const WebSocketCloseStatus AbnormalClosure = (WebSocketCloseStatus)1006;

    private readonly Lock _gate = new();
    private volatile SessionState _state;

    // An int rather than a nullable enum so that readers outside the lock never see half of it; 0 while open.
    private volatile int _closeCode;
    private volatile string? _closeDescription;

    public SessionState Current => _state;

    public bool IsOpen => _state == SessionState.Open;

    public WebSocketCloseStatus? CloseStatus => _closeCode == 0 ? null : (WebSocketCloseStatus)_closeCode;

    public string? CloseStatusDescription => _closeDescription;

    /// <summary>The state <paramref name="state"/> moves to on <paramref name="sessionEvent"/>: the whole transition table.</summary>
    public static SessionState Next(SessionState state, SessionEvent sessionEvent) => (state, sessionEvent) switch
    {
        (SessionState.Open, SessionEvent.LocalCloseStarted) => SessionState.LocalClosing,
        (SessionState.Open, SessionEvent.PeerCloseReceived) => SessionState.RemoteClosing,
        (SessionState.LocalClosing, SessionEvent.PeerCloseReceived) => SessionState.Closed,
        (SessionState.RemoteClosing, SessionEvent.LocalCloseStarted) => SessionState.Closed,
        (SessionState.Open or SessionState.LocalClosing or SessionState.RemoteClosing, SessionEvent.ConnectionLost) => SessionState.Aborted,
        // Anything else repeats what already happened (a second close, a late drop after a clean close): no change.
        _ => state,
    };

    /// <summary>Applies <paramref name="sessionEvent"/>; <paramref name="status"/> and <paramref name="description"/> are recorded only if it ends <see cref="SessionState.Open"/>.</summary>
    public void Apply(SessionEvent sessionEvent, WebSocketCloseStatus status, string? description)
    {
        lock (_gate)
        {
            var next = Next(_state, sessionEvent);
            if (_state == SessionState.Open && next != SessionState.Open)
            {
                _closeDescription = description;
                _closeCode = (int)status;
            }
            _state = next;
        }
    }

    /// <summary>What a send after the close throws: it carries the recorded close status.</summary>
    public WebSocketClosedException ClosedException() => new(CloseStatus ?? AbnormalClosure, _closeDescription);
}
