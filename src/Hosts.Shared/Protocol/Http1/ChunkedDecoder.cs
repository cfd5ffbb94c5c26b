using System.Buffers;

namespace HostKit.Hosts.Protocol;

/// <summary>What <see cref="ChunkedDecoder.Read"/> found.</summary>
internal enum ChunkStatus
{
    /// <summary>Payload bytes are available at the reader's position.</summary>
    Data,

    /// <summary>The input ended inside framing: read more.</summary>
    NeedMore,

    /// <summary>The last chunk and the trailers were read: the body is over.</summary>
    Done,

    /// <summary>The framing is malformed or the body is over the limit.</summary>
    Error,
}

/// <summary>
/// Decodes a chunked request body (RFC 9112 section 7.1), sans-I/O: it walks over chunk sizes,
/// extensions, line ends and trailers, and points at payload bytes for the caller to copy.
/// </summary>
internal struct ChunkedDecoder(long maxBodyBytes)
{
    private const int MaxLineBytes = 4096;

    private State _state;
    private long _chunkSize;
    private int _digits;
    private long _remaining;
    private long _total;
    private int _lineBytes;

    private enum State
    {
        Size,
        Extension,
        SizeLineFeed,
        Data,
        DataCarriageReturn,
        DataLineFeed,
        TrailerStart,
        Trailer,
        TrailerLineFeed,
        FinalLineFeed,
        Done,
    }

    public readonly bool IsDone => _state == State.Done;

    /// <summary>
    /// Consumes framing from <paramref name="reader"/> until payload is available (then
    /// <paramref name="available"/> bytes of it start at the reader's position; report what was
    /// copied with <see cref="Consume"/>), the input runs out, the body ends, or an error.
    /// </summary>
    public ChunkStatus Read(ref SequenceReader<byte> reader, out long available, out RequestRejection error)
    {
        available = 0;
        error = default;
        while (true)
        {
            if (_state == State.Done)
                return ChunkStatus.Done;
            if (_state == State.Data)
            {
                available = Math.Min(_remaining, reader.Remaining);
                return available > 0 ? ChunkStatus.Data : ChunkStatus.NeedMore;
            }
            if (!reader.TryRead(out var b))
                return ChunkStatus.NeedMore;
            if (!Step(b, out error))
                return ChunkStatus.Error;
        }
    }

    /// <summary>Records that <paramref name="count"/> payload bytes were taken.</summary>
    public void Consume(long count)
    {
        _remaining -= count;
        if (_remaining == 0)
            _state = State.DataCarriageReturn;
    }

    private bool Step(byte b, out RequestRejection error)
    {
        error = default;
        switch (_state)
        {
            case State.Size:
                if (HexValue(b) is var digit and >= 0)
                {
                    // 15 hex digits is already far past any body size we accept: stop before overflow.
                    if (++_digits > 15)
                        return Fail(out error);
                    _chunkSize = _chunkSize * 16 + digit;
                    return true;
                }
                if (_digits == 0)
                    return Fail(out error);
                if (b is (byte)';' or (byte)' ' or (byte)'\t')
                    return Go(State.Extension);
                return b == '\r' ? Go(State.SizeLineFeed) : Fail(out error);

            case State.Extension:
                if (++_lineBytes > MaxLineBytes)
                    return Fail(out error);
                if (b == '\r')
                    return Go(State.SizeLineFeed);
                return b == '\n' ? Fail(out error) : true;

            case State.SizeLineFeed:
                if (b != '\n')
                    return Fail(out error);
                _total += _chunkSize;
                if (_total > maxBodyBytes)
                {
                    error = RequestRejection.BodyTooLarge;
                    return false;
                }
                _remaining = _chunkSize;
                var last = _chunkSize == 0;
                _chunkSize = 0;
                _digits = 0;
                _lineBytes = 0;
                return Go(last ? State.TrailerStart : State.Data);

            case State.DataCarriageReturn:
                return b == '\r' ? Go(State.DataLineFeed) : Fail(out error);

            case State.DataLineFeed:
                return b == '\n' ? Go(State.Size) : Fail(out error);

            case State.TrailerStart:
                if (b == '\r')
                    return Go(State.FinalLineFeed);
                // A bare LF must not end (or hide inside) the trailers: a front end that took it for
                // a line end would see the body end where this server does not (request smuggling).
                if (b == '\n')
                    return Fail(out error);
                return Go(State.Trailer) && CountTrailer(out error);

            case State.Trailer:
                if (b == '\r')
                    return Go(State.TrailerLineFeed);
                return b == '\n' ? Fail(out error) : CountTrailer(out error);

            case State.TrailerLineFeed:
                return b == '\n' ? Go(State.TrailerStart) : Fail(out error);

            case State.FinalLineFeed:
                return b == '\n' ? Go(State.Done) : Fail(out error);

            default:
                return Fail(out error);
        }
    }

    private bool CountTrailer(out RequestRejection error)
    {
        error = default;
        return ++_lineBytes <= MaxLineBytes * 4 || Fail(out error);
    }

    private bool Go(State state)
    {
        _state = state;
        return true;
    }

    private static bool Fail(out RequestRejection error)
    {
        error = RequestRejection.InvalidChunkedBody;
        return false;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
