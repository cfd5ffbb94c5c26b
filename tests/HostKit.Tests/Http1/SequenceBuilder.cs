using System.Buffers;

namespace HostKit.Tests.Http1;

/// <summary>Builds multi-segment sequences, to feed parsers bytes split the way a socket might split them.</summary>
internal static class SequenceBuilder
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        if (at <= 0 || at >= bytes.Length)
            return new ReadOnlySequence<byte>(bytes);
        var first = new Segment(bytes.AsMemory(0, at), 0);
        var second = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
