using HostKit.Hosts;

namespace HostKit.Tests.Http1;

/// <summary>The HTTP/1.1 connection's transition table (<see cref="Http1Transitions.Next"/>): every legal move, and a clear refusal of the rest.</summary>
public class Http1TransitionsTests
{
    /// <summary>Every legal (phase, event) pair and where it leads: the table, written out once more by hand.</summary>
    private static readonly (Http1Phase Phase, Http1Event Event, Http1Phase Next)[] Legal =
    [
        (Http1Phase.Idle, Http1Event.HeadBytesArrived, Http1Phase.ReadingHead),
        (Http1Phase.ReadingHead, Http1Event.HeadBytesArrived, Http1Phase.ReadingHead),
        (Http1Phase.Idle, Http1Event.HeadCompleted, Http1Phase.Running),
        (Http1Phase.ReadingHead, Http1Event.HeadCompleted, Http1Phase.Running),
        (Http1Phase.Idle, Http1Event.RequestRefused, Http1Phase.Error),
        (Http1Phase.ReadingHead, Http1Event.RequestRefused, Http1Phase.Error),
        (Http1Phase.Error, Http1Event.RequestRefused, Http1Phase.Error),
        (Http1Phase.Running, Http1Event.RequestRefused, Http1Phase.Running),
        (Http1Phase.Running, Http1Event.BodyRead, Http1Phase.Running),
        (Http1Phase.Responding, Http1Event.BodyRead, Http1Phase.Responding),
        (Http1Phase.Error, Http1Event.BodyRead, Http1Phase.Error),
        (Http1Phase.Running, Http1Event.ResponseStarted, Http1Phase.Responding),
        (Http1Phase.Running, Http1Event.Upgraded, Http1Phase.Upgraded),
        (Http1Phase.Responding, Http1Event.ResponseSent, Http1Phase.Idle),
        (Http1Phase.Responding, Http1Event.ResponseSentBodyUnread, Http1Phase.Draining),
        (Http1Phase.Responding, Http1Event.ResponseSentClosing, Http1Phase.MustClose),
        (Http1Phase.Draining, Http1Event.DrainRead, Http1Phase.Draining),
        (Http1Phase.Draining, Http1Event.DrainEnded, Http1Phase.Idle),
        (Http1Phase.Draining, Http1Event.DrainFailed, Http1Phase.MustClose),
        (Http1Phase.Idle, Http1Event.RejectionWritten, Http1Phase.Error),
        (Http1Phase.ReadingHead, Http1Event.RejectionWritten, Http1Phase.Error),
        (Http1Phase.Running, Http1Event.RejectionWritten, Http1Phase.Error),
        (Http1Phase.Error, Http1Event.RejectionWritten, Http1Phase.Error),
    ];

    [Fact]
    public void Every_legal_event_moves_the_phase_as_the_table_says()
    {
        foreach (var (phase, http1Event, next) in Legal)
            Assert.True(next == Http1Transitions.Next(phase, http1Event), $"{phase} on {http1Event} should move to {next}");
    }

    [Fact]
    public void Every_other_event_in_every_phase_throws_naming_both()
    {
        var legal = Legal.Select(row => (row.Phase, row.Event)).ToHashSet();
        var refused = 0;
        foreach (var phase in Enum.GetValues<Http1Phase>())
        {
            foreach (var http1Event in Enum.GetValues<Http1Event>())
            {
                if (legal.Contains((phase, http1Event)))
                    continue;
                var error = Assert.Throws<InvalidOperationException>(() => Http1Transitions.Next(phase, http1Event));
                Assert.Equal($"The HTTP/1.1 connection is in phase {phase}; {http1Event} is not allowed there.", error.Message);
                refused++;
            }
        }
        Assert.Equal(Enum.GetValues<Http1Phase>().Length * Enum.GetValues<Http1Event>().Length - legal.Count, refused);
    }

    [Fact]
    public void The_final_phases_accept_no_step_but_a_repeated_refusal_or_a_body_read_that_is_refused_again()
    {
        foreach (var final in new[] { Http1Phase.MustClose, Http1Phase.Upgraded })
            Assert.All(Enum.GetValues<Http1Event>(), e => Assert.Throws<InvalidOperationException>(() => Http1Transitions.Next(final, e)));
        Assert.Equal([Http1Event.RequestRefused, Http1Event.BodyRead, Http1Event.RejectionWritten],
            Enum.GetValues<Http1Event>().Where(e => Record.Exception(() => Http1Transitions.Next(Http1Phase.Error, e)) is null));
    }

    [Fact]
    public void Reading_the_body_after_the_response_is_sent_throws()
    {
        // Regression: ReadBody had no phase guard, so a body read while Draining raced the drain for the same bytes.
        var protocol = HeadParserTests.Feed(new Http1Protocol(HttpLimits.Default), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"u8.ToArray());
        HeadParserTests.Finish(protocol);
        Assert.Equal(Http1Phase.Draining, protocol.Phase);
        var error = Assert.Throws<InvalidOperationException>(() =>
            protocol.ReadBody(new System.Buffers.ReadOnlySequence<byte>("hello"u8.ToArray()), new byte[5], inputEnded: false, out _, out _, out _));
        Assert.Contains("phase Draining; BodyRead", error.Message, StringComparison.Ordinal);
    }
}
