using System.Net.WebSockets;
using HostKit.Hosts;

namespace HostKit.Tests.WebSockets;

/// <summary>The session's state machine as a table: every state against every event, and which close code is reported.</summary>
public class SessionStateMachineTests
{
    // By name: the enums are internal, and xUnit's data members must be public.
    public static TheoryData<string, string, string> Transitions => new()
    {
        { "Open", "LocalCloseStarted", "LocalClosing" },
        { "Open", "PeerCloseReceived", "RemoteClosing" },
        { "Open", "ConnectionLost", "Aborted" },
        { "LocalClosing", "LocalCloseStarted", "LocalClosing" },
        { "LocalClosing", "PeerCloseReceived", "Closed" },
        { "LocalClosing", "ConnectionLost", "Aborted" },
        { "RemoteClosing", "LocalCloseStarted", "Closed" },
        { "RemoteClosing", "PeerCloseReceived", "RemoteClosing" },
        { "RemoteClosing", "ConnectionLost", "Aborted" },
        { "Closed", "LocalCloseStarted", "Closed" },
        { "Closed", "PeerCloseReceived", "Closed" },
        { "Closed", "ConnectionLost", "Closed" },
        { "Aborted", "LocalCloseStarted", "Aborted" },
        { "Aborted", "PeerCloseReceived", "Aborted" },
        { "Aborted", "ConnectionLost", "Aborted" },
    };

    [Theory, MemberData(nameof(Transitions))]
    public void Each_state_and_event_leads_to_one_state(string from, string sessionEvent, string to) =>
        Assert.Equal(Enum.Parse<SessionState>(to), SessionStateMachine.Next(Enum.Parse<SessionState>(from), Enum.Parse<SessionEvent>(sessionEvent)));

    [Fact]
    public void The_table_covers_every_state_and_event()
    {
        var covered = Transitions.Select(row => (Enum.Parse<SessionState>(row.Data.Item1), Enum.Parse<SessionEvent>(row.Data.Item2))).ToHashSet();
        foreach (var state in Enum.GetValues<SessionState>())
        {
            foreach (var sessionEvent in Enum.GetValues<SessionEvent>())
                Assert.Contains((state, sessionEvent), covered);
        }
    }

    [Fact]
    public void The_close_code_reported_is_the_one_that_ended_Open()
    {
        var machine = new SessionStateMachine();
        Assert.Null(machine.CloseStatus);

        machine.Apply(SessionEvent.LocalCloseStarted, WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        machine.Apply(SessionEvent.PeerCloseReceived, WebSocketCloseStatus.NormalClosure, "bye");
        machine.Apply(SessionEvent.ConnectionLost, WebSocketSession.AbnormalClosure, null);

        Assert.Equal(SessionState.Closed, machine.Current);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, machine.CloseStatus);
        Assert.Equal("server shutting down", machine.CloseStatusDescription);
    }

    [Fact]
    public void A_drop_while_open_reports_1006()
    {
        var machine = new SessionStateMachine();

        machine.Apply(SessionEvent.ConnectionLost, WebSocketSession.AbnormalClosure, null);
        machine.Apply(SessionEvent.PeerCloseReceived, WebSocketCloseStatus.NormalClosure, "too late");

        Assert.Equal(SessionState.Aborted, machine.Current);
        Assert.Equal(WebSocketSession.AbnormalClosure, machine.CloseStatus);
        Assert.Equal(WebSocketSession.AbnormalClosure, machine.ClosedException().CloseStatus);
    }
}
