using System.Buffers;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// Plays one connection's bytes through <see cref="Http1Protocol"/> the way the Raw host's pump does
/// (read a head; refuse it, upgrade it, or serve it; read or drain the body; answer; go on or close),
/// and writes down what happened. On the way it checks what every step must keep: positions inside the
/// buffer, progress (a "need more" that examined everything, so a pipe would wait instead of spinning),
/// the head scanned once, refusals that are defined and stick, and chunked bodies that agree with
/// <see cref="ChunkedReference"/>.
/// </summary>
internal sealed class ConnectionSimulator
{
    private readonly byte[] _input;
    private readonly HttpLimits _limits;
    private readonly BodyMode _mode;
    private readonly Feeding _feeding;
    private readonly SegmentedPipe _pipe;
    private readonly Http1Protocol _protocol;
    private readonly Transcript _transcript = new();
    private readonly int _maxSteps;
    private long _headBytes;
    private int _steps;

    private ConnectionSimulator(byte[] input, HttpLimits limits, BodyMode mode, Feeding feeding)
    {
        _input = input;
        _limits = limits;
        _mode = mode;
        _feeding = feeding;
        _pipe = feeding.OpenPipe();
        _protocol = new Http1Protocol(limits);
        // Every step consumes a byte, delivers a piece, or ends a request, which takes at least a byte:
        // more steps than this means the pump would spin on the same bytes forever.
        _maxSteps = 6 * (input.Length + 8);
    }

    private string Run => $"{_feeding.Name}, {_mode}";

    public static Transcript Simulate(byte[] input, HttpLimits limits, BodyMode mode, Feeding feeding)
    {
        var simulator = new ConnectionSimulator(input, limits, mode, feeding);
        while (simulator.ReadHead() && simulator.Serve())
        {
        }
        return simulator._transcript;
    }

    /// <summary>Reads the next head; false when the connection is over (input ended, or the head was refused).</summary>
    private bool ReadHead()
    {
        var start = _pipe.Consumed;
        while (true)
        {
            Step("ReadHead");
            var buffer = _pipe.Read();
            var before = _pipe.Consumed;
            var status = _protocol.ReadHead(buffer, out var consumed, out var examined);
            _pipe.AdvanceTo(buffer, consumed, examined, "ReadHead");
            _headBytes += _pipe.Consumed - before;
            Check.That(_protocol.HeadBytesScanned <= _pipe.Delivered, $"ReadHead ({Run}): {_protocol.HeadBytesScanned} bytes scanned of {_pipe.Delivered} fed");
            switch (status)
            {
                case HeadStatus.Complete:
                    Check.Equal(Http1Phase.Running, _protocol.Phase, $"the phase after a complete head ({Run})");
                    // The parser's O(n) claim: each byte of the heads was searched once, and nothing past them.
                    Check.Equal(_headBytes, _protocol.HeadBytesScanned, $"bytes scanned for the heads so far ({Run})");
                    _transcript.Connection.Add($"head {start}-{_pipe.Consumed}: {Describe(_protocol.Head)}");
                    return true;
                case HeadStatus.Rejected:
                    Check.That(_protocol.Rejection is not null, $"a refused head names its reason ({Run})");
                    Refuse(_protocol.Rejection!.Value, "head");
                    return false;
                case HeadStatus.NeedMore:
                    Check.That(_pipe.IsEnd(buffer, examined, "ReadHead"), $"ReadHead needs more but did not examine all it was given ({Run}): the pump would spin");
                    Check.That(_protocol.Phase is Http1Phase.Idle or Http1Phase.ReadingHead, $"phase {_protocol.Phase} while a head needs more ({Run})");
                    if (_pipe.Deliver())
                        continue;
                    if (_protocol.Phase == Http1Phase.Idle)
                    {
                        _transcript.Connection.Add($"closed by the client at {_pipe.Consumed}");
                        return false;
                    }
                    // The client closed in the middle of a head: the pump refuses it.
                    Refuse(RequestRejection.IncompleteHead, "head");
                    return false;
                default:
                    throw new OracleViolation($"ReadHead returned {status}, not a HeadStatus ({Run})");
            }
        }
    }

    /// <summary>Serves the head just read; false when the connection is over.</summary>
    private bool Serve()
    {
        var head = _protocol.Head;
        HeadInvariants.Check(head, _limits);
        if (head.WantsWebSocket)
        {
            // As the Raw host: the handshake is checked before the application runs.
            if (WebSocketHandshake.Validate(head.GetHeader("Sec-WebSocket-Version"), head.GetHeader("Sec-WebSocket-Key")) is { } refused)
            {
                Refuse(refused, "upgrade");
                return false;
            }
            var accept = WebSocketHandshake.SwitchingProtocols(head.GetHeader("Sec-WebSocket-Key")!, null);
            Check.That(accept.AsSpan().EndsWith("\r\n\r\n"u8), "the 101 ends its head");
            _protocol.Upgrade();
            Check.Refuses(() => _protocol.ReadHead(_pipe.Read(), out _, out _), $"reading a head after the upgrade ({Run})");
            _transcript.Connection.Add("upgraded");
            return false;
        }

        // The pump sends 100 Continue before the first body read; both modes do, so that they stay comparable.
        if (_protocol.TakeContinue())
            _transcript.Connection.Add("100 continue");
        Check.That(!_protocol.TakeContinue(), $"100 Continue is due once ({Run})");
        return _mode == BodyMode.Read ? ReadBodyThenAnswer() : AnswerThenDrain();
    }

    private bool ReadBodyThenAnswer()
    {
        var head = _protocol.Head;
        var bodyStart = _pipe.Consumed;
        var body = new List<byte>();
        var destination = new byte[_feeding.DestinationSize];
        BodyStatus status;
        while (true)
        {
            Step("ReadBody");
            var buffer = _pipe.Read();
            var inputEnded = _pipe.IsCompleted;
            status = _protocol.ReadBody(buffer, destination, inputEnded, out var copied, out var consumed, out var examined);
            _pipe.AdvanceTo(buffer, consumed, examined, "ReadBody");
            Check.That(copied >= 0 && copied <= destination.Length, $"ReadBody copied {copied} into {destination.Length} bytes ({Run})");
            if (status == BodyStatus.Data)
            {
                // A stream read that returns 0 means the end: Data must carry at least a byte.
                Check.That(copied > 0, $"ReadBody said Data and copied nothing ({Run})");
                body.AddRange(destination.AsSpan(0, copied));
                Check.That(body.Count <= (_limits.MaxRequestBodyBytes ?? long.MaxValue), $"{body.Count} body bytes read, over the limit ({Run})");
                continue;
            }
            if (status != BodyStatus.NeedMore)
                break;
            Check.Equal(0, copied, $"bytes copied on NeedMore ({Run})");
            Check.That(_pipe.IsEnd(buffer, examined, "ReadBody"), $"ReadBody needs more but did not examine all it was given ({Run}): the pump would spin");
            // With the input over, "need more" can never be satisfied: the reader would wait forever.
            Check.That(!inputEnded, $"ReadBody needs more after the input ended, instead of refusing the body ({Run})");
            _pipe.Deliver();
        }

        if (status == BodyStatus.Complete)
        {
            Check.That(_protocol.IsBodyComplete, $"Complete but the body is not ({Run})");
            if (!head.IsChunked)
                Check.Equal(head.ContentLength ?? 0, body.Count, $"body bytes read for the Content-Length ({Run})");
            _transcript.Bodies.Add($"read {body.Count} bytes \"{Printable.Escape(body.ToArray())}\", the body ends at {_pipe.Consumed}");
        }
        else
        {
            Check.Equal(BodyStatus.Rejected, status, $"ReadBody's last status ({Run})");
            var reason = _protocol.Rejection;
            Check.That(reason is not null, $"a refused body names its reason ({Run})");
            CheckRejection(reason!.Value);
            // How much of a bad body the application saw before the refusal depends on how the bytes arrived: not recorded.
            _transcript.Bodies.Add($"the body was refused: {reason}");
            // A refused body stays refused: its end is unknown, so nothing after it may be read.
            Check.Equal(BodyStatus.Rejected, _protocol.ReadBody(_pipe.Read(), destination, _pipe.IsCompleted, out _, out _, out _), $"ReadBody after a refusal ({Run})");
        }
        if (head.IsChunked)
            CompareWithReference(bodyStart, body, status);
        return Answer();
    }

    private bool AnswerThenDrain()
    {
        if (!Answer())
            return false;
        if (_protocol.Phase != Http1Phase.Draining)
            return true;
        while (true)
        {
            Step("Drain");
            var buffer = _pipe.Read();
            var inputEnded = _pipe.IsCompleted;
            var status = _protocol.Drain(buffer, inputEnded, out var consumed, out var examined);
            _pipe.AdvanceTo(buffer, consumed, examined, "Drain");
            switch (status)
            {
                case BodyStatus.Complete:
                    Check.Equal(Http1Phase.Idle, _protocol.Phase, $"the phase once drained ({Run})");
                    _transcript.Bodies.Add($"drained, the body ends at {_pipe.Consumed}");
                    _transcript.Connection.Add($"next request at {_pipe.Consumed}");
                    return true;
                case BodyStatus.Rejected:
                    Check.Equal(Http1Phase.MustClose, _protocol.Phase, $"the phase after a refused drain ({Run})");
                    _transcript.Bodies.Add($"draining refused: {_protocol.Rejection?.ToString() ?? "too much to drain"}");
                    Closed();
                    return false;
                case BodyStatus.Data:
                    continue;
                case BodyStatus.NeedMore:
                    Check.That(_pipe.IsEnd(buffer, examined, "Drain"), $"Drain needs more but did not examine all it was given ({Run}): the pump would spin");
                    Check.That(!inputEnded, $"Drain needs more after the input ended ({Run})");
                    _pipe.Deliver();
                    continue;
                default:
                    throw new OracleViolation($"Drain returned {status}, not a BodyStatus ({Run})");
            }
        }
    }

    /// <summary>The application's answer: an empty 200. False when the connection closes after it.</summary>
    private bool Answer()
    {
        var response = new ResponseHead();
        response.Start(200, []);
        var plan = _protocol.StartResponse(new ArrayBufferWriter<byte>(), response, Body.Empty, hostKeepsConnection: true);
        if (_protocol.Rejection is not null)
            Check.That(!plan.KeepAlive, $"the connection is kept after a refused body ({Run})");
        Check.Equal(Http1Phase.Responding, _protocol.Phase, $"the phase once the response started ({Run})");
        _protocol.FinishResponse();
        if (_protocol.Phase == Http1Phase.MustClose)
        {
            Closed();
            return false;
        }
        if (_protocol.IsBodyComplete)
        {
            Check.Equal(Http1Phase.Idle, _protocol.Phase, $"the phase after answering a request whose body is read ({Run})");
            _transcript.Connection.Add($"next request at {_pipe.Consumed}");
        }
        else
        {
            Check.Equal(BodyMode.Drain, _mode, $"the body is left unread after the application read it ({Run})");
            Check.Equal(Http1Phase.Draining, _protocol.Phase, $"the phase after answering without reading the body ({Run})");
        }
        return true;
    }

    private void Closed()
    {
        Check.Refuses(() => _protocol.ReadHead(_pipe.Read(), out _, out _), $"reading a head after the connection must close ({Run})");
        _transcript.Connection.Add("closed by the server");
    }

    /// <summary>Answers a refusal as the pump does, and checks that it is well formed and sticks.</summary>
    private void Refuse(RequestRejection reason, string what)
    {
        CheckRejection(reason);
        var output = new ArrayBufferWriter<byte>();
        _protocol.WriteRejection(output, reason);
        var answer = Encoding.Latin1.GetString(output.WrittenSpan);
        var status = RequestRejections.Status(reason);
        Check.That(answer.StartsWith($"HTTP/1.1 {status} ", StringComparison.Ordinal), $"the answer to {reason} starts with its status line: {Printable.Escape(answer)}");
        Check.That(answer.Contains("\r\nConnection: close\r\n", StringComparison.Ordinal), $"the answer to {reason} closes the connection");
        Check.That(answer.EndsWith(Encoding.UTF8.GetString(RequestRejections.Body(reason).Span), StringComparison.Ordinal), $"the answer to {reason} carries its text");

        Check.Equal(Http1Phase.Error, _protocol.Phase, $"the phase after refusing {reason} ({Run})");
        Check.That(_protocol.Rejection is not null, $"Rejection is set after refusing {reason} ({Run})");
        Check.Refuses(() => _protocol.ReadHead(_pipe.Read(), out _, out _), $"reading another head after {reason} ({Run})");
        Check.Refuses(() => _protocol.Drain(_pipe.Read(), _pipe.IsCompleted, out _, out _), $"draining after {reason} ({Run})");
        Check.Refuses(_protocol.Upgrade, $"upgrading after {reason} ({Run})");
        Check.Equal(BodyStatus.Rejected, _protocol.ReadBody(_pipe.Read(), new byte[1], _pipe.IsCompleted, out _, out _, out _), $"reading a body after {reason} ({Run})");
        Check.Equal(Http1Phase.Error, _protocol.Phase, $"the phase stays Error after {reason} ({Run})");
        _transcript.Connection.Add($"{what} refused: {reason} ({status})");
    }

    /// <summary>A refusal is one of the enum's values, with a 4xx/5xx status and words for the client.</summary>
    private static void CheckRejection(RequestRejection reason)
    {
        Check.That(Enum.IsDefined(reason), $"rejection {(int)reason} is not a RequestRejection");
        var status = RequestRejections.Status(reason);
        Check.That(status is >= 400 and <= 599, $"{reason} is answered with {status}, not a 4xx or 5xx");
        Check.That(RequestRejections.Text(reason).Length > 0, $"{reason} has no text");
    }

    private void CompareWithReference(long bodyStart, List<byte> body, BodyStatus status)
    {
        var verdict = ChunkedReference.Decode(_input, (int)bodyStart, _limits.MaxRequestBodyBytes ?? long.MaxValue);
        var expected = verdict.Payload is null ? $"refused: {verdict.Rejection}" : $"{verdict.Payload.Length} bytes \"{Printable.Escape(verdict.Payload)}\" ending at {verdict.End}";
        var actual = status == BodyStatus.Complete ? $"{body.Count} bytes \"{Printable.Escape(body.ToArray())}\" ending at {_pipe.Consumed}" : $"refused: {_protocol.Rejection}";
        Check.Equal(expected, actual, $"the chunked body from {bodyStart}, against the reference decoder ({Run})");
    }

    private void Step(string step)
    {
        if (++_steps > _maxSteps)
            throw new OracleViolation($"{step}: {_steps} steps for {_input.Length} bytes ({Run}): the pump makes no progress");
    }

    private static string Describe(RequestHead head) =>
        $"{head.Method} {head.Target} {head.Version} length={head.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} chunked={head.IsChunked} " +
        $"keep-alive={head.KeepAlive} continue={head.ExpectContinue} websocket={head.WantsWebSocket} headers=[" +
        string.Join(" | ", head.Headers().Select(h => $"{h.Key}: {Printable.Escape(h.Value)}")) + "]";
}
