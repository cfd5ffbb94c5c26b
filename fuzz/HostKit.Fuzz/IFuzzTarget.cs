namespace HostKit.Fuzz;

/// <summary>One fuzzed surface: it runs an input and throws <see cref="OracleViolation"/> (or anything else) when the surface misbehaves.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name on the command line and the folder under <c>fuzz/corpus/</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>--list</c>.</summary>
    string Description { get; }

    void Run(ReadOnlySpan<byte> input);
}
