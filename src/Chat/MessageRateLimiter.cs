namespace HostKit.Chat;

/// <summary>
/// A token bucket for one connection: <c>perSecond</c> messages a second sustained, as many in a burst, judged at the
/// moment each message arrived. A message over the rate is refused (its sender is told); the connection is closed only
/// for sustained abuse: more than <see cref="AbuseFactor"/> seconds' worth of refused messages within <see cref="AbuseWindow"/>.
/// </summary>
/// <remarks>
/// The arrival time is taken by the connection's receive loop, which never waits for the backplane: messages that
/// queue while an append is slow (Redis paused) keep the times they came at, so the backlog is not judged as a burst.
/// Not System.Threading.RateLimiting's <c>TokenBucketRateLimiter</c>: it refills on a timer of its own per instance
/// (one per connection here) and cannot take a <see cref="TimeProvider"/>, which the tests need to be exact.
/// </remarks>
internal sealed class MessageRateLimiter
{
    /// <summary>How far back refused messages count towards closing the connection.</summary>
    public static readonly TimeSpan AbuseWindow = TimeSpan.FromSeconds(10);

    /// <summary>The connection is closed once more than this many seconds' worth of messages were refused within the window.</summary>
    public const int AbuseFactor = 5;

    private readonly int _perSecond;
    private readonly TimeProvider _time;
    private readonly Queue<long> _refusedAt = new();
    private double _tokens;
    private long _lastRefill;

    public MessageRateLimiter(int perSecond, TimeProvider time)
    {
        _perSecond = perSecond;
        _time = time;
        _tokens = perSecond;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Refused messages beyond which, within <see cref="AbuseWindow"/>, the connection is closed.</summary>
    public int AbuseThreshold => _perSecond * AbuseFactor;

    /// <summary>
    /// Judges a message that arrived at <paramref name="arrivedAt"/> (a <see cref="TimeProvider.GetTimestamp"/>, never
    /// earlier than the previous one). Always <see cref="RateVerdict.Accept"/> when the limit is 0 (off).
    /// </summary>
    public RateVerdict Judge(long arrivedAt)
    {
        if (_perSecond == 0)
            return RateVerdict.Accept;
        if (arrivedAt > _lastRefill)
        {
            _tokens = Math.Min(_perSecond, _tokens + (_time.GetElapsedTime(_lastRefill, arrivedAt).TotalSeconds * _perSecond));
            _lastRefill = arrivedAt;
        }
        if (_tokens >= 1)
        {
            _tokens--;
            return RateVerdict.Accept;
        }
        _refusedAt.Enqueue(arrivedAt);
        while (_time.GetElapsedTime(_refusedAt.Peek(), arrivedAt) > AbuseWindow)
            _refusedAt.Dequeue();
        return _refusedAt.Count > AbuseThreshold ? RateVerdict.Close : RateVerdict.Refuse;
    }
}
