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
/// The state is two values: the connection's <see cref="Phase"/>, which moves only through the table in
/// <c>Http1Transitions.Next</c> (every entry point asks it first, so a step in the wrong phase throws
/// <see cref="InvalidOperationException"/>), and the current request body's state (complete, being read,
/// held back for a <c>100 Continue</c>, refused), which h11 likewise keeps apart as the client's side.
/// </remarks>
public sealed class Http1Protocol
{
    /// <summary>How much unread request body the host reads and drops to keep the connection; more than this closes it.</summary>
    public const long MaxDrainBytes = 1024 * 1024;

    private readonly HttpLimits _limits;
    private readonly HeadParser _parser;
    private long _bodyRemaining;
    private ChunkedDecoder _chunked;
    private RequestBodyState _body;
    private long _drained; // a count of bytes within Draining, not a state: it only limits how long Draining lasts

    // The plan of the response being sent: whether it keeps the connection decides where Responding ends.
    private ResponsePlan _response;

    /// <summary>Creates the protocol for one connection, enforcing <paramref name="limits"/>.</summary>
    public Http1Protocol(HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _parser = new HeadParser(limits);
    }

    /// <summary>Where the connection is.</summary>
    public Http1Phase Phase { get; private set; }

    /// <summary>The current request body's state; <see cref="IsBodyComplete"/> and <see cref="Summarize"/> read it.</summary>
    internal RequestBodyState Body => _body;

    /// <summary>The current request's head; valid from <see cref="Http1Phase.Running"/> on.</summary>
    public RequestHead Head { get; } = new();

    /// <summary>Why the current request was refused (its head or its body), or null.</summary>
    public RequestRejection? Rejection { get; private set; }

    /// <summary>True once the whole request body has been read (at once for a request without one).</summary>
    public bool IsBodyComplete => _body == RequestBodyState.Complete;

    /// <summary>Every byte the head parser has searched for a line end on this connection: grows linearly with the bytes received.</summary>
    public long HeadBytesScanned => _parser.BytesScanned;

    /// <summary>
    /// Reads the request head at the start of <paramref name="buffer"/>, in <see cref="Http1Phase.Idle"/> or
    /// <see cref="Http1Phase.ReadingHead"/>. Advance the input to <paramref name="consumed"/> and
    /// <paramref name="examined"/>; on <see cref="HeadStatus.NeedMore"/> call again with what follows.
    /// </summary>
    public HeadStatus ReadHead(in ReadOnlySequence<byte> buffer, out SequencePosition consumed, out SequencePosition examined)
    {
        var reading = Http1Transitions.Next(Phase, Http1Event.HeadBytesArrived);
        if (buffer.IsEmpty)
        {
            consumed = examined = buffer.Start;
            return HeadStatus.NeedMore;
        }
        Phase = reading;
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
        if (Http1Transitions.Next(Phase, Http1Event.BodyRead) == Http1Phase.Error || _body != RequestBodyState.AwaitingContinue)
            return false;
        _body = RequestBodyState.Reading;
        return true;
    }

    /// <summary>
    /// Copies request body bytes from <paramref name="buffer"/> into <paramref name="destination"/>, de-chunked.
    /// <paramref name="inputEnded"/> says the connection's input is over (a body cut short is then refused).
    /// Advance the input to <paramref name="consumed"/> and <paramref name="examined"/>.
    /// </summary>
    public BodyStatus ReadBody(in ReadOnlySequence<byte> buffer, Span<byte> destination, bool inputEnded, out int copied, out SequencePosition consumed, out SequencePosition examined)
    {
        if (Http1Transitions.Next(Phase, Http1Event.BodyRead) == Http1Phase.Error)
        {
            (copied, consumed, examined) = (0, buffer.Start, buffer.Start);
            return BodyStatus.Rejected; // the connection was refused: its body stays refused
        }
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
        Http1Transitions.Next(Phase, Http1Event.DrainRead);
        var status = Decode(buffer, Span<byte>.Empty, inputEnded, out var taken, out consumed, out examined);
        _drained += taken;
        if (status == BodyStatus.Rejected || _drained > MaxDrainBytes)
        {
            Phase = Http1Transitions.Next(Phase, Http1Event.DrainFailed);
            return BodyStatus.Rejected;
        }
        if (!IsBodyComplete)
            return status;
        _parser.Reset();
        Phase = Http1Transitions.Next(Phase, Http1Event.DrainEnded);
        return BodyStatus.Complete;
    }

    /// <summary>
    /// What the response plan needs to know of the current request, once the application ran:
    /// <paramref name="hostKeepsConnection"/> false closes the connection after the response (the server is
    /// stopping); so does a refused body, or one the client still holds back for a 100 that never came,
    /// since the next request's start is then unknown.
    /// </summary>
    public RequestSummary Summarize(bool hostKeepsConnection) =>
        Head.Summary(hostKeepsConnection && _body is RequestBodyState.Complete or RequestBodyState.Reading);

    /// <summary>Writes the head of the response <paramref name="plan"/> describes to <paramref name="output"/>, and moves to <see cref="Http1Phase.Responding"/>.</summary>
    public void StartResponse(IBufferWriter<byte> output, ResponseHead head, in ResponsePlan plan)
    {
        ArgumentNullException.ThrowIfNull(head);
        var responding = Http1Transitions.Next(Phase, Http1Event.ResponseStarted);
        ResponseHeadWriter.Write(output, head.Status, head.Headers, plan);
        _response = plan;
        if (_body == RequestBodyState.AwaitingContinue)
            _body = RequestBodyState.Reading; // no interim 100 after a final answer; the client sends its body or not
        Phase = responding;
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
        var sent = !_response.KeepAlive ? Http1Event.ResponseSentClosing
            : IsBodyComplete ? Http1Event.ResponseSent
            : Http1Event.ResponseSentBodyUnread;
        Phase = Http1Transitions.Next(Phase, sent);
        _drained = 0;
        if (Phase == Http1Phase.Idle)
            _parser.Reset();
    }

    /// <summary>
    /// Writes the answer to a refused request (<see cref="Rejection"/>, or <paramref name="reason"/>) and moves to
    /// <see cref="Http1Phase.Error"/>. Only before a response started: afterwards, abort the connection instead.
    /// </summary>
    public void WriteRejection(IBufferWriter<byte> output, RequestRejection reason)
    {
        Phase = Http1Transitions.Next(Phase, Http1Event.RejectionWritten);
        Rejection ??= reason;
        ResponseHeadWriter.WriteRejection(output, reason);
    }

    /// <summary>The application accepted a websocket and the 101 is being sent: the connection's bytes are the websocket's now.</summary>
    public void Upgrade()
    {
        Phase = Http1Transitions.Next(Phase, Http1Event.Upgraded);
    }

    private void BeginRequest()
    {
        Phase = Http1Transitions.Next(Phase, Http1Event.HeadCompleted);
        Rejection = null;
        _bodyRemaining = Head.IsChunked ? 0 : Head.ContentLength ?? 0;
        _chunked = new ChunkedDecoder(_limits.MaxRequestBodyBytes ?? long.MaxValue);
        _body = !Head.HasBody ? RequestBodyState.Complete
            : Head.ExpectContinue ? RequestBodyState.AwaitingContinue
            : RequestBodyState.Reading;
    }

    private void Fail(RequestRejection reason)
    {
        Phase = Http1Transitions.Next(Phase, Http1Event.RequestRefused);
        Rejection ??= reason;
        _body = RequestBodyState.Refused;
    }

    /// <summary>The body decoder, for reading (copying into <paramref name="destination"/>) and draining (an empty destination drops what it passes).</summary>
    private BodyStatus Decode(in ReadOnlySequence<byte> buffer, Span<byte> destination, bool inputEnded, out long taken, out SequencePosition consumed, out SequencePosition examined)
    {
        taken = 0;
        consumed = examined = buffer.Start;
        if (_body == RequestBodyState.Refused)
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
            if (_bodyRemaining == 0)
                _body = RequestBodyState.Complete;
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
                    _body = RequestBodyState.Complete;
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
        _body = RequestBodyState.Refused;
        return BodyStatus.Rejected;
    }
}
