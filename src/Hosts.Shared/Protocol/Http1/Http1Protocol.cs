using System.Buffers;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The server side of one HTTP/1.1 connection as a state machine, sans-I/O (after h11's
/// <c>Connection</c> and Kestrel's <c>Http1Connection</c>): bytes in, decisions and bytes out, no
/// sockets and no awaits. A host that owns a byte stream runs a small pump around it: read, hand
/// the bytes to <see cref="ReadHead"/> or <see cref="ReadBody"/>, run the application, write what
/// <c>StartResponse</c> plans. The phases are in <see cref="Http1Phase"/>; a refusal is a
/// <see cref="RequestRejection"/> and sticks.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>phase</term><description>moves on when</description></listheader>
/// <item><term>Idle</term><description>bytes arrive → ReadingHead; a whole head → Running; a refused head → Error</description></item>
/// <item><term>ReadingHead</term><description>the head completes → Running; refused, timed out or cut short → Error</description></item>
/// <item><term>Running</term><description><c>StartResponse</c> → Responding; <see cref="Upgrade"/> → Upgraded; <see cref="Reject"/> → Error</description></item>
/// <item><term>Responding</term><description><see cref="FinishResponse"/> → Idle, Draining (body left unread) or MustClose</description></item>
/// <item><term>Draining</term><description>the body is read to its end → Idle; too much or malformed → MustClose</description></item>
/// <item><term>MustClose, Upgraded, Error</term><description>final for this connection</description></item>
/// </list>
/// </remarks>
public sealed class Http1Protocol
{
    /// <summary>How much unread request body the host reads and drops to keep the connection; more than this closes it.</summary>
    public const long MaxDrainBytes = 1024 * 1024;

    private readonly HttpLimits _limits;
    private readonly HeadParser _parser;
    private long _bodyRemaining;
    private ChunkedDecoder _chunked;
    private bool _continueDue;
    private long _drained;
    private bool _keepAlive;

    /// <summary>Creates the protocol for one connection, enforcing <paramref name="limits"/>.</summary>
    public Http1Protocol(HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _parser = new HeadParser(limits);
    }

    /// <summary>Where the connection is.</summary>
    public Http1Phase Phase { get; private set; }

    /// <summary>The current request's head; valid from <see cref="Http1Phase.Running"/> on.</summary>
    public RequestHead Head { get; } = new();

    /// <summary>Why the current request was refused (its head or its body), or null.</summary>
    public RequestRejection? Rejection { get; private set; }

    /// <summary>True once the whole request body has been read (at once for a request without one).</summary>
    public bool IsBodyComplete { get; private set; } = true;

    /// <summary>Every byte the head parser has searched for a line end on this connection: grows linearly with the bytes received.</summary>
    public long HeadBytesScanned => _parser.BytesScanned;

    /// <summary>
    /// Reads the request head at the start of <paramref name="buffer"/>, in <see cref="Http1Phase.Idle"/> or
    /// <see cref="Http1Phase.ReadingHead"/>. Advance the input to <paramref name="consumed"/> and
    /// <paramref name="examined"/>; on <see cref="HeadStatus.NeedMore"/> call again with what follows.
    /// </summary>
    public HeadStatus ReadHead(in ReadOnlySequence<byte> buffer, out SequencePosition consumed, out SequencePosition examined)
    {
        Expect(Http1Phase.Idle, Http1Phase.ReadingHead);
        if (buffer.IsEmpty)
        {
            consumed = examined = buffer.Start;
            return HeadStatus.NeedMore;
        }
        Phase = Http1Phase.ReadingHead;
        var status = _parser.Parse(buffer, Head, out consumed, out examined, out var rejection);
        switch (status)
        {
            case HeadStatus.Complete:
                BeginRequest();
                break;
            case HeadStatus.Rejected:
                Fail(rejection);
                break;
        }
        return status;
    }

    /// <summary>
    /// Refuses the request for a reason the pump saw (the head timed out, the input ended mid-head,
    /// the host cannot serve it); the pump then writes <see cref="WriteRejection"/>'s answer and closes.
    /// </summary>
    public void Reject(RequestRejection reason) => Fail(reason);

    /// <summary>
    /// True once, when the client waits for <c>100 Continue</c> before sending its body and the response has
    /// not started: the pump writes <see cref="ResponseHeadWriter.WriteContinue"/> before the first body read.
    /// </summary>
    public bool TakeContinue()
    {
        if (!_continueDue || Phase != Http1Phase.Running)
            return false;
        _continueDue = false;
        return true;
    }

    /// <summary>
    /// Copies request body bytes from <paramref name="buffer"/> into <paramref name="destination"/>, de-chunked.
    /// <paramref name="inputEnded"/> says the connection's input is over (a body cut short is then refused).
    /// Advance the input to <paramref name="consumed"/> and <paramref name="examined"/>.
    /// </summary>
    public BodyStatus ReadBody(in ReadOnlySequence<byte> buffer, Span<byte> destination, bool inputEnded, out int copied, out SequencePosition consumed, out SequencePosition examined)
    {
        var status = Decode(buffer, destination, inputEnded, out var taken, out consumed, out examined);
        copied = (int)taken;
        return status;
    }

    /// <summary>
    /// In <see cref="Http1Phase.Draining"/>: drops request body bytes from <paramref name="buffer"/> without copying.
    /// <see cref="BodyStatus.Complete"/> moves to <see cref="Http1Phase.Idle"/>; more than <see cref="MaxDrainBytes"/>,
    /// a malformed body, or the input ending moves to <see cref="Http1Phase.MustClose"/> (reported as <see cref="BodyStatus.Rejected"/>).
    /// </summary>
    public BodyStatus Drain(in ReadOnlySequence<byte> buffer, bool inputEnded, out SequencePosition consumed, out SequencePosition examined)
    {
        Expect(Http1Phase.Draining);
        var status = Decode(buffer, Span<byte>.Empty, inputEnded, out var taken, out consumed, out examined);
        _drained += taken;
        if (status == BodyStatus.Rejected || _drained > MaxDrainBytes)
        {
            Phase = Http1Phase.MustClose;
            return BodyStatus.Rejected;
        }
        if (!IsBodyComplete)
            return status;
        EndExchange(keepAlive: true);
        return BodyStatus.Complete;
    }

    /// <summary>
    /// What the response plan needs to know of the current request, once the application ran:
    /// <paramref name="hostKeepsConnection"/> false closes the connection after the response (the server is
    /// stopping); so does a refused body, or one the client still holds back for a 100 that never came,
    /// since the next request's start is then unknown.
    /// </summary>
    public RequestSummary Summarize(bool hostKeepsConnection) =>
        Head.Summary(hostKeepsConnection && Rejection is null && !(_continueDue && !IsBodyComplete));

    /// <summary>Writes the head of the response <paramref name="plan"/> describes to <paramref name="output"/>, and moves to <see cref="Http1Phase.Responding"/>.</summary>
    public void StartResponse(IBufferWriter<byte> output, ResponseHead head, in ResponsePlan plan)
    {
        ArgumentNullException.ThrowIfNull(head);
        Expect(Http1Phase.Running);
        ResponseHeadWriter.Write(output, head.Status, head.Headers, plan);
        _keepAlive = plan.KeepAlive;
        _continueDue = false;
        Phase = Http1Phase.Responding;
    }

    /// <summary>Plans the response <paramref name="head"/> and <paramref name="body"/> make (<see cref="Summarize"/>), writes its head, and returns the plan.</summary>
    public ResponsePlan StartResponse(IBufferWriter<byte> output, ResponseHead head, in Body body, bool hostKeepsConnection)
    {
        var plan = ResponsePlan.For(Summarize(hostKeepsConnection), head, body);
        StartResponse(output, head, plan);
        return plan;
    }

    /// <summary>The response is sent: on to the next request, to draining the unread body, or to closing.</summary>
    public void FinishResponse()
    {
        Expect(Http1Phase.Responding);
        if (!_keepAlive)
            Phase = Http1Phase.MustClose;
        else if (!IsBodyComplete)
            (Phase, _drained) = (Http1Phase.Draining, 0);
        else
            EndExchange(keepAlive: true);
    }

    /// <summary>
    /// Writes the answer to a refused request (<see cref="Rejection"/>, or <paramref name="reason"/>) and moves to
    /// <see cref="Http1Phase.Error"/>. Only before a response started: afterwards, abort the connection instead.
    /// </summary>
    public void WriteRejection(IBufferWriter<byte> output, RequestRejection reason)
    {
        Expect(Http1Phase.Idle, Http1Phase.ReadingHead, Http1Phase.Running, Http1Phase.Error);
        Rejection ??= reason;
        Phase = Http1Phase.Error;
        ResponseHeadWriter.WriteRejection(output, reason);
    }

    /// <summary>The application accepted a websocket and the 101 is being sent: the connection's bytes are the websocket's now.</summary>
    public void Upgrade()
    {
        Expect(Http1Phase.Running);
        Phase = Http1Phase.Upgraded;
    }

    private void BeginRequest()
    {
        Phase = Http1Phase.Running;
        Rejection = null;
        _bodyRemaining = Head.IsChunked ? 0 : Head.ContentLength ?? 0;
        _chunked = new ChunkedDecoder(_limits.MaxRequestBodyBytes ?? long.MaxValue);
        IsBodyComplete = !Head.HasBody;
        _continueDue = Head.ExpectContinue && Head.HasBody;
    }

    private void EndExchange(bool keepAlive)
    {
        _parser.Reset();
        Phase = keepAlive ? Http1Phase.Idle : Http1Phase.MustClose;
    }

    private void Fail(RequestRejection reason)
    {
        Rejection ??= reason;
        if (Phase is not (Http1Phase.Running or Http1Phase.Draining))
            Phase = Http1Phase.Error;
    }

    /// <summary>The body decoder, for reading (copying into <paramref name="destination"/>) and draining (an empty destination drops what it passes).</summary>
    private BodyStatus Decode(in ReadOnlySequence<byte> buffer, Span<byte> destination, bool inputEnded, out long taken, out SequencePosition consumed, out SequencePosition examined)
    {
        taken = 0;
        consumed = examined = buffer.Start;
        if (Rejection is not null)
            return BodyStatus.Rejected; // a refused body stays refused: its end is unknown
        if (IsBodyComplete)
            return BodyStatus.Complete;
        var discard = destination.IsEmpty;
        if (!Head.IsChunked)
        {
            if (buffer.IsEmpty)
                return inputEnded ? BodyError(RequestRejection.IncompleteBody) : BodyStatus.NeedMore;
            taken = Math.Min(buffer.Length, _bodyRemaining);
            if (!discard)
                taken = Math.Min(taken, destination.Length);
            var part = buffer.Slice(0, taken);
            if (!discard)
                part.CopyTo(destination);
            consumed = examined = part.End;
            _bodyRemaining -= taken;
            IsBodyComplete = _bodyRemaining == 0;
            return IsBodyComplete && taken == 0 ? BodyStatus.Complete : BodyStatus.Data;
        }

        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            switch (_chunked.Read(ref reader, out var available, out var rejection))
            {
                case ChunkStatus.Data:
                    var count = discard ? available : Math.Min(available, destination.Length - taken);
                    if (!discard)
                        reader.UnreadSequence.Slice(0, count).CopyTo(destination[(int)taken..]);
                    reader.Advance(count);
                    _chunked.Consume(count);
                    taken += count;
                    if (!discard && taken == destination.Length)
                    {
                        consumed = examined = reader.Position;
                        return BodyStatus.Data;
                    }
                    continue;
                case ChunkStatus.Done:
                    consumed = examined = reader.Position;
                    IsBodyComplete = true;
                    return taken > 0 ? BodyStatus.Data : BodyStatus.Complete;
                case ChunkStatus.NeedMore:
                    consumed = reader.Position;
                    examined = buffer.End;
                    if (taken > 0)
                        return BodyStatus.Data;
                    return inputEnded ? BodyError(RequestRejection.IncompleteBody) : BodyStatus.NeedMore;
                default:
                    consumed = examined = reader.Position;
                    return BodyError(rejection);
            }
        }
    }

    private BodyStatus BodyError(RequestRejection reason)
    {
        Rejection ??= reason;
        return BodyStatus.Rejected;
    }

    private void Expect(params ReadOnlySpan<Http1Phase> allowed)
    {
        if (!allowed.Contains(Phase))
            throw new InvalidOperationException($"The HTTP/1.1 connection is in phase {Phase}; this step is not allowed there.");
    }
}
