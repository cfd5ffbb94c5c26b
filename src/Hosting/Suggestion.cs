namespace HostKit.Hosting;

/// <summary>"Did you mean": the known word closest to a mistyped one, by edit distance with swapped neighbours counting as one edit.</summary>
internal static class Suggestion
{
    /// <summary>The candidate closest to <paramref name="word"/> (case-insensitive), or null when none is within a third of its length (at least one edit).</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var allowed = Math.Max(1, word.Length / 3);
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(word.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and transpositions of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
