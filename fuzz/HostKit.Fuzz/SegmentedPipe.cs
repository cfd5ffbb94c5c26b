using System.Buffers;

namespace HostKit.Fuzz;

/// <summary>
/// A stand-in for the <c>PipeReader</c> the Raw host reads from, without I/O: the input arrives in
/// pieces, is kept in segments (packed into blocks of a fixed capacity, as a pipe packs its pooled
/// blocks, or one segment per piece), and is read and advanced as the host's pump does. Advancing
/// checks the contract a sans-I/O parser must keep with a pipe: consumed and examined lie inside the
/// buffer it was handed, and examined is not before consumed.
/// </summary>
internal sealed class SegmentedPipe(IReadOnlyList<ReadOnlyMemory<byte>> pieces, bool packPieces, int segmentCapacity)
{
    private int _nextPiece;
    private Segment? _first;
    private Segment? _last;

    /// <summary>Bytes delivered so far: everything the protocol may have seen.</summary>
    public long Delivered { get; private set; }

    /// <summary>The absolute offset of the first unconsumed byte.</summary>
    public long Consumed { get; private set; }

    /// <summary>True once every piece was delivered: the client's half of the connection is over.</summary>
    public bool IsCompleted => _nextPiece == pieces.Count;

    /// <summary>What a read returns now: every delivered byte not consumed yet.</summary>
    public ReadOnlySequence<byte> Read() => _first is null
        ? ReadOnlySequence<byte>.Empty
        : new ReadOnlySequence<byte>(_first, (int)(Consumed - _first.RunningIndex), _last!, _last!.Memory.Length);

    /// <summary>Delivers the next piece; false when the input is over.</summary>
    public bool Deliver()
    {
        if (IsCompleted)
            return false;
        var piece = pieces[_nextPiece++].Span;
        var newSegment = !packPieces;
        while (!piece.IsEmpty)
        {
            if (_last is null || newSegment || _last.Free == 0)
            {
                var segment = new Segment(Math.Max(segmentCapacity, 1), Delivered);
                if (_last is null)
                    _first = segment;
                else
                    _last.Link(segment);
                _last = segment;
                newSegment = false;
            }
            var taken = _last.Append(piece);
            piece = piece[taken..];
            Delivered += taken;
        }
        return true;
    }

    /// <summary>Moves past <paramref name="consumed"/>, after checking both positions against <paramref name="buffer"/>, the last <see cref="Read"/>.</summary>
    public void AdvanceTo(in ReadOnlySequence<byte> buffer, SequencePosition consumed, SequencePosition examined, string step)
    {
        var start = Offset(buffer, buffer.Start, step);
        var end = start + buffer.Length;
        var consumedAt = Offset(buffer, consumed, step);
        var examinedAt = Offset(buffer, examined, step);
        Check.That(consumedAt >= start && consumedAt <= end, $"{step}: consumed {consumedAt} lies outside the buffer [{start}, {end}]");
        Check.That(examinedAt >= consumedAt && examinedAt <= end, $"{step}: examined {examinedAt} lies outside [{consumedAt} (consumed), {end}]");
        Consumed = consumedAt;
        while (_first is { Next: Segment next } && Consumed >= next.RunningIndex)
            _first = next;
    }

    /// <summary>True when <paramref name="position"/> is the end of <paramref name="buffer"/>: what a pipe needs to wait for more instead of returning at once.</summary>
    public bool IsEnd(in ReadOnlySequence<byte> buffer, SequencePosition position, string step) =>
        Offset(buffer, position, step) == Offset(buffer, buffer.Start, step) + buffer.Length;

    private long Offset(in ReadOnlySequence<byte> buffer, SequencePosition position, string step)
    {
        if (position.GetObject() is Segment segment)
            return segment.RunningIndex + position.GetInteger();
        // Only an empty buffer, before any byte arrived, is not made of this pipe's segments.
        Check.That(buffer.IsEmpty && _first is null, $"{step}: a position that belongs to no segment of the buffer");
        return Consumed;
    }

    /// <summary>One block of the pipe; it grows while bytes are appended, as a pipe's block does.</summary>
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        private readonly byte[] _block;

        public Segment(int capacity, long runningIndex)
        {
            _block = new byte[capacity];
            RunningIndex = runningIndex;
            Memory = ReadOnlyMemory<byte>.Empty;
        }

        public int Free => _block.Length - Memory.Length;

        public int Append(ReadOnlySpan<byte> bytes)
        {
            var length = Memory.Length;
            var count = Math.Min(Free, bytes.Length);
            bytes[..count].CopyTo(_block.AsSpan(length));
            Memory = _block.AsMemory(0, length + count);
            return count;
        }

        public void Link(Segment next) => Next = next;
    }
}
