namespace HostKit.Fuzz;

/// <summary>The oracles' assertions: each throws <see cref="OracleViolation"/> with what was expected.</summary>
internal static class Check
{
    public static void That(bool condition, string what)
    {
        if (!condition)
            throw new OracleViolation(what);
    }

    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            throw new OracleViolation($"{what}: expected {Show(expected)}, got {Show(actual)}");
    }

    /// <summary>A step the protocol must refuse in its current phase (a refusal sticks; a finished connection stays finished).</summary>
    public static void Refuses(Action step, string what)
    {
        try
        {
            step();
        }
        catch (InvalidOperationException)
        {
            return;
        }
        throw new OracleViolation($"{what}: the step was allowed");
    }

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string text => $"\"{Printable.Escape(text)}\"",
        _ => value.ToString() ?? "",
    };
}
