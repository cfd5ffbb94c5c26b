namespace HostKit.Chat;

/// <summary>
/// A token bucket for one connection: <c>perSecond</c> messages a second sustained, as many in a burst.
/// </summary>
/// <remarks>
/// Not System.Threading.RateLimiting's <c>TokenBucketRateLimiter</c>: it refills on a timer of its own per instance
/// (one per connection here) and cannot take a <see cref="TimeProvider"/>, which the tests need to be exact.
/// This one refills from the elapsed time when asked, and is only called from the connection's receive loop.
/// </remarks>
internal sealed class MessageRateLimiter
{
    private readonly int _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    public MessageRateLimiter(int perSecond, TimeProvider time)
    {
        _perSecond = perSecond;
        _time = time;
        _tokens = perSecond;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes one message's token; false when the connection is over its rate. Always true when the limit is 0 (off).</summary>
    public bool TryTake()
    {
        if (_perSecond == 0)
            return true;
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_perSecond, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _perSecond));
        _lastRefill = now;
        if (_tokens < 1)
            return false;
        _tokens--;
        return true;
    }
}
