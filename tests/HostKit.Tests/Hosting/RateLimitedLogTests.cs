using HostKit.Hosts;
using Microsoft.Extensions.Time.Testing;

namespace HostKit.Tests.Hosting;

public class RateLimitedLogTests
{
    [Fact]
    public void A_flood_is_held_to_the_budget_and_the_next_line_says_how_many_were_held_back()
    {
        var time = new FakeTimeProvider();
        var log = new RateLimitedLog(perWindow: 3, window: TimeSpan.FromSeconds(10), time);
        var passed = Enumerable.Range(0, 100).Count(_ => log.TryEnter(out long _));
        Assert.Equal(3, passed);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(log.TryEnter(out var suppressed));
        Assert.Equal(97, suppressed);
        Assert.True(log.TryEnter(out suppressed));
        Assert.Equal(0, suppressed);
    }
}
