namespace HostKit.Bench.Report;

/// <summary>The median of a figure over rounds, with its range (min-max): the spread the report shows next to every median.</summary>
internal sealed record Spread(double Median, double Min, double Max)
{
    public static Spread? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return null;
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }

    public static double? MedianOf(IEnumerable<double?> values) => Of(values.Where(v => v.HasValue).Select(v => v!.Value))?.Median;
}
