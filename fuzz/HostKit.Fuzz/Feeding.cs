namespace HostKit.Fuzz;

/// <summary>
/// How one connection's bytes reach the protocol. The same bytes fed whole, split in two, and one byte
/// per read must come to the same outcome: a parser whose answer depends on how the network cut the
/// stream is the bug these targets look for first.
/// </summary>
/// <param name="Name">For oracle messages.</param>
/// <param name="Pieces">What each read delivers, in order.</param>
/// <param name="PackPieces">Pack pieces into shared blocks, as a pipe does, instead of one segment per piece.</param>
/// <param name="SegmentCapacity">The largest block.</param>
/// <param name="DestinationSize">The buffer the application reads the body into.</param>
internal sealed record Feeding(string Name, ReadOnlyMemory<byte>[] Pieces, bool PackPieces, int SegmentCapacity, int DestinationSize)
{
    /// <summary>Small blocks, so that lines and chunk framing cross block boundaries often.</summary>
    private const int TrickleBlock = 16;

    /// <summary>The three feedings of <paramref name="input"/>; the split point and read sizes come from the input, so a finding replays exactly.</summary>
    public static Feeding[] All(byte[] input)
    {
        var hash = Hash(input);
        var at = input.Length < 2 ? input.Length : 1 + (int)(hash % (uint)(input.Length - 1));
        return
        [
            new("whole", [input], PackPieces: false, Math.Max(input.Length, 1), DestinationSize: 4096),
            new($"split at {at}", [input.AsMemory(0, at), input.AsMemory(at)], PackPieces: false, Math.Max(input.Length, 1), DestinationSize: 1 + (int)(hash >> 8 & 15)),
            new("byte by byte", [.. Enumerable.Range(0, input.Length).Select(i => input.AsMemory(i, 1))], PackPieces: true, TrickleBlock, DestinationSize: 1),
        ];
    }

    public SegmentedPipe OpenPipe() => new(Pieces, PackPieces, SegmentCapacity);

    /// <summary>FNV-1a: any byte of the input moves the split point.</summary>
    private static uint Hash(ReadOnlySpan<byte> input)
    {
        var hash = 2166136261u;
        foreach (var b in input)
            hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
