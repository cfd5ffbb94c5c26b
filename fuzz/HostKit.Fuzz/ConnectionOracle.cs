namespace HostKit.Fuzz;

/// <summary>
/// The differential oracle for a connection's bytes: under each limits profile, the bytes fed whole, split,
/// and byte by byte, with the body read by the application or drained by the host, must come to one
/// connection transcript; and within each body mode, to one body transcript.
/// </summary>
internal static class ConnectionOracle
{
    /// <summary>Past this, inputs are cut: a byte-by-byte run of a larger one tells nothing new and only slows the fuzzer.</summary>
    public const int MaxInputBytes = 64 * 1024;

    public static void Run(byte[] input)
    {
        var feedings = Feeding.All(input);
        foreach (var (profile, limits) in FuzzLimits.Profiles)
        {
            var baseline = ConnectionSimulator.Simulate(input, limits, BodyMode.Read, feedings[0]);
            var baselineName = $"{profile}, {feedings[0].Name}, {BodyMode.Read}";
            foreach (var mode in Enum.GetValues<BodyMode>())
            {
                var modeBaseline = mode == BodyMode.Read ? baseline : null;
                var modeBaselineName = baselineName;
                foreach (var feeding in feedings)
                {
                    if (mode == BodyMode.Read && feeding == feedings[0])
                        continue;
                    var run = ConnectionSimulator.Simulate(input, limits, mode, feeding);
                    var runName = $"{profile}, {feeding.Name}, {mode}";
                    Transcript.Same("the connection", baseline.Connection, baselineName, run.Connection, runName);
                    if (modeBaseline is null)
                        (modeBaseline, modeBaselineName) = (run, runName);
                    else
                        Transcript.Same("the bodies", modeBaseline.Bodies, modeBaselineName, run.Bodies, runName);
                }
            }
        }
    }

    public static byte[] Cut(ReadOnlySpan<byte> input) => input[..Math.Min(input.Length, MaxInputBytes)].ToArray();
}
