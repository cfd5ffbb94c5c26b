namespace HostKit.Hosts.Runtime;

/// <summary>
/// Lets at most <c>perWindow</c> lines through per window and counts the rest, so that a flood of bad
/// requests (an attack, a broken client) cannot flood the log: the next line that passes says how many
/// were held back. The counters (<see cref="HostMetrics"/>) see every one.
/// </summary>
internal sealed class RateLimitedLog(int perWindow, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _windowStart = long.MinValue;
    private int _inWindow;
    private long _suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long suppressed)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= window)
            {
                _windowStart = now;
                _inWindow = 0;
            }
            if (_inWindow >= perWindow)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _inWindow++;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
