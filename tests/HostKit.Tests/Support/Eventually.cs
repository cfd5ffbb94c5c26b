namespace HostKit.Tests.Support;

/// <summary>Waits for a condition that another process or thread brings about, polling within a bounded deadline: never a sleep standing in for it.</summary>
public static class Eventually
{
    /// <summary>The default bound: generous, for a loaded machine; a condition that holds returns at once.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test naming <paramref name="what"/> when it has not within <paramref name="within"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var bound = within ?? DefaultWithin;
        var deadline = DateTime.UtcNow + bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"Waited {bound.TotalSeconds:0} s, and {what} did not happen.");
            await Task.Delay(20);
        }
    }
}
