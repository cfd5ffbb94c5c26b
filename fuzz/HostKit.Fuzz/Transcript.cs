namespace HostKit.Fuzz;

/// <summary>
/// What one simulated connection came to, as text, so that runs can be compared line by line.
/// <see cref="Connection"/> must be the same for every feeding and whether the application read the body
/// or left it to be drained; <see cref="Bodies"/> (what was read, or how draining ended) only between the
/// feedings of one body mode.
/// </summary>
internal sealed class Transcript
{
    public List<string> Connection { get; } = [];

    public List<string> Bodies { get; } = [];

    /// <summary>Throws unless <paramref name="other"/> says the same, naming the first line that differs.</summary>
    public static void Same(string what, IReadOnlyList<string> expected, string expectedRun, IReadOnlyList<string> actual, string actualRun)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var left = i < expected.Count ? expected[i] : "(nothing)";
            var right = i < actual.Count ? actual[i] : "(nothing)";
            if (left != right)
                throw new OracleViolation($"{what} differs at line {i}:\n  {expectedRun}: {left}\n  {actualRun}: {right}");
        }
    }
}
