using System.Buffers;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Tests.Http1;

/// <summary>The connection state machine past the head: the body, 100-continue, draining, and the phases.</summary>
public class Http1ProtocolTests
{
    private static Http1Protocol Start(string head, HttpLimits? limits = null) =>
        HeadParserTests.Feed(new Http1Protocol(limits ?? HttpLimits.Default), Encoding.ASCII.GetBytes(head));

    private static (string Body, BodyStatus Last) ReadAll(Http1Protocol protocol, string input, bool inputEnds = true)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));
        var body = new StringBuilder();
        var destination = new byte[3];
        while (true)
        {
            var status = protocol.ReadBody(buffer, destination, inputEnds, out var copied, out var consumed, out _);
            body.Append(Encoding.ASCII.GetString(destination, 0, copied));
            buffer = buffer.Slice(consumed);
            if (status is not BodyStatus.Data)
                return (body.ToString(), status);
        }
    }

    [Fact]
    public void A_fixed_body_is_read_to_its_length_and_no_further()
    {
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        Assert.Equal(("hello", BodyStatus.Complete), ReadAll(protocol, "helloGET /next"));
        Assert.True(protocol.IsBodyComplete);
    }

    [Fact]
    public void A_chunked_body_is_dechunked()
    {
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        Assert.Equal(("abcde", BodyStatus.Complete), ReadAll(protocol, "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"));
    }

    [Fact]
    public void A_body_cut_short_is_refused()
    {
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n");
        Assert.Equal(("hello", BodyStatus.Rejected), ReadAll(protocol, "hello"));
        Assert.Equal(RequestRejection.IncompleteBody, protocol.Rejection);
    }

    [Fact]
    public void A_malformed_chunk_stays_refused_and_the_connection_closes_after_the_answer()
    {
        // Regression: the decoder went on one byte later, so an app that caught the error could keep the connection.
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        Assert.Equal(BodyStatus.Rejected, ReadAll(protocol, "zz\r\nhello\r\n0\r\n\r\n").Last);
        Assert.Equal(BodyStatus.Rejected, ReadAll(protocol, "5\r\nhello\r\n0\r\n\r\n").Last);
        Assert.Equal(RequestRejection.InvalidChunkedBody, protocol.Rejection);

        // The application caught it and answered: the answer goes out, then the connection closes.
        var head = new ResponseHead();
        head.Start(200, [("Content-Type", "text/plain")]);
        var plan = protocol.StartResponse(new ArrayBufferWriter<byte>(), head, Body.Of("caught"), hostKeepsConnection: true);
        Assert.Equal((false, ConnectionHeader.Close), (plan.KeepAlive, plan.Connection));
        protocol.FinishResponse();
        Assert.Equal(Http1Phase.MustClose, protocol.Phase);
    }

    [Fact]
    public void Continue_is_due_once_and_only_before_the_response_starts()
    {
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        Assert.True(protocol.TakeContinue());
        Assert.False(protocol.TakeContinue());

        // Regression: the interim 100 was sent on the first body read even after the response had started.
        var answered = Start("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        var head = new ResponseHead();
        head.Start(413, []);
        answered.StartResponse(new ArrayBufferWriter<byte>(), head, Body.Empty, hostKeepsConnection: true);
        Assert.False(answered.TakeContinue());
    }

    [Fact]
    public void A_body_the_client_still_holds_back_closes_the_connection()
    {
        // The client waits for a 100 that never came: its body may or may not follow, so the next request's start is unknown.
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        var head = new ResponseHead();
        head.Start(200, []);
        Assert.False(protocol.StartResponse(new ArrayBufferWriter<byte>(), head, Body.Empty, hostKeepsConnection: true).KeepAlive);
    }

    [Fact]
    public void An_unread_body_is_drained_to_reach_the_next_request()
    {
        var protocol = Start("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        HeadParserTests.Finish(protocol);
        Assert.Equal(Http1Phase.Draining, protocol.Phase);
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("helloGET /next HTTP/1.1\r\nHost: a\r\n\r\n"));
        Assert.Equal(BodyStatus.Complete, protocol.Drain(input, inputEnded: false, out var consumed, out _));
        Assert.Equal(Http1Phase.Idle, protocol.Phase);
        Assert.Equal(HeadStatus.Complete, protocol.ReadHead(input.Slice(consumed), out _, out _));
        Assert.Equal("/next", protocol.Head.Target);
    }

    [Fact]
    public void Draining_more_than_the_bound_closes_instead()
    {
        var protocol = Start($"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {Http1Protocol.MaxDrainBytes * 2}\r\n\r\n");
        HeadParserTests.Finish(protocol);
        var chunk = new ReadOnlySequence<byte>(new byte[64 * 1024]);
        while (protocol.Phase == Http1Phase.Draining)
            protocol.Drain(chunk, inputEnded: false, out _, out _);
        Assert.Equal(Http1Phase.MustClose, protocol.Phase);
    }

    [Fact]
    public void The_phases_follow_the_table()
    {
        var protocol = new Http1Protocol(HttpLimits.Default);
        Assert.Equal(Http1Phase.Idle, protocol.Phase);
        protocol.ReadHead(new ReadOnlySequence<byte>("GET / HT"u8.ToArray()), out _, out _);
        Assert.Equal(Http1Phase.ReadingHead, protocol.Phase);

        protocol = Start("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(Http1Phase.Running, protocol.Phase);
        var head = new ResponseHead();
        head.Start(200, []);
        protocol.StartResponse(new ArrayBufferWriter<byte>(), head, Body.Empty, hostKeepsConnection: true);
        Assert.Equal(Http1Phase.Responding, protocol.Phase);
        Assert.Throws<InvalidOperationException>(() => protocol.StartResponse(new ArrayBufferWriter<byte>(), head, Body.Empty, hostKeepsConnection: true));
        protocol.FinishResponse();
        Assert.Equal(Http1Phase.Idle, protocol.Phase);

        protocol = Start("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        HeadParserTests.Finish(protocol);
        Assert.Equal(Http1Phase.MustClose, protocol.Phase);

        protocol = Start("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        protocol.Upgrade();
        Assert.Equal(Http1Phase.Upgraded, protocol.Phase);
        Assert.Throws<InvalidOperationException>(() => protocol.ReadHead(new ReadOnlySequence<byte>("GET"u8.ToArray()), out _, out _));

        protocol = Start("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        protocol.WriteRejection(new ArrayBufferWriter<byte>(), RequestRejection.HeadersTimeout);
        Assert.Equal(Http1Phase.Error, protocol.Phase);
        Assert.Throws<InvalidOperationException>(() => protocol.ReadHead(new ReadOnlySequence<byte>("GET"u8.ToArray()), out _, out _));
    }

    [Fact]
    public void A_rejection_is_written_with_its_status_text_and_connection_close()
    {
        var protocol = new Http1Protocol(HttpLimits.Default);
        var output = new ArrayBufferWriter<byte>();
        protocol.WriteRejection(output, RequestRejection.UnsupportedWebSocketVersion);
        var text = Encoding.ASCII.GetString(output.WrittenSpan);
        Assert.StartsWith("HTTP/1.1 426 Upgrade Required\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Version: 13\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n426 Upgrade Required: unsupported websocket version; this server speaks version 13\n", text, StringComparison.Ordinal);
    }
}
