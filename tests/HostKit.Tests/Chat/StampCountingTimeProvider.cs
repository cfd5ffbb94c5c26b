using Microsoft.Extensions.Time.Testing;

namespace HostKit.Tests.Chat;

/// <summary>
/// A fake clock that lets a test wait until the chat has read a message: the relay takes one timestamp per message it
/// receives (its arrival time), and nothing else in the chat asks this clock for one after the rate limiter is made.
/// </summary>
public sealed class StampCountingTimeProvider : FakeTimeProvider
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly SemaphoreSlim _stamps = new(0);
    private int _calls;

    public override long GetTimestamp()
    {
        // The first call is the rate limiter's start; every later one is a message's arrival.
        if (Interlocked.Increment(ref _calls) > 1)
            _stamps.Release();
        return base.GetTimestamp();
    }

    /// <summary>Waits (bounded) for the next message's arrival stamp.</summary>
    public async Task WaitForStampAsync()
    {
        if (!await _stamps.WaitAsync(Timeout))
            throw new TimeoutException("The chat did not read the message.");
    }
}
