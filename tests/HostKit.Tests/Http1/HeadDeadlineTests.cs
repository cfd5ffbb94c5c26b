using System.IO.Pipelines;

namespace HostKit.Tests.Http1;

/// <summary>One connection's head deadlines (<see cref="HeadDeadline"/>), driven by hand as the server's heartbeat drives them.</summary>
public class HeadDeadlineTests
{
    private static readonly HttpLimits Limits = new() { KeepAliveTimeout = TimeSpan.FromSeconds(5), RequestHeadersTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task A_wait_past_its_deadline_is_timed_out_and_its_read_woken_and_the_head_is_then_not_served()
    {
        var pipe = new Pipe();
        var deadline = new HeadDeadline(pipe.Reader, Limits);
        deadline.StartWaiting();
        var read = pipe.Reader.ReadAsync();

        deadline.OnHeartbeat(Environment.TickCount64); // within the keep-alive
        Assert.False(read.IsCompleted);
        Assert.Equal(HeadWaitStatus.Waiting, deadline.Status);

        deadline.OnHeartbeat(Environment.TickCount64 + (long)Limits.KeepAliveTimeout.TotalMilliseconds + 1);
        Assert.True((await read).IsCanceled);
        Assert.Equal(HeadWaitStatus.TimedOut, deadline.Status);
        Assert.True(deadline.StopWaiting());
        Assert.Equal(HeadWaitStatus.NotWaiting, deadline.Status);
    }

    [Fact]
    public void The_first_byte_of_a_head_starts_the_shorter_header_clock()
    {
        var pipe = new Pipe();
        var deadline = new HeadDeadline(pipe.Reader, Limits);
        deadline.StartWaiting();
        deadline.HeadStarted();

        deadline.OnHeartbeat(Environment.TickCount64 + (long)Limits.RequestHeadersTimeout.TotalMilliseconds + 1000);

        Assert.Equal(HeadWaitStatus.TimedOut, deadline.Status);
    }

    [Fact]
    public void A_wait_that_starts_inside_a_head_runs_on_the_header_clock_and_later_waits_do_not_push_it_back()
    {
        var pipe = new Pipe();
        var deadline = new HeadDeadline(pipe.Reader, Limits);
        deadline.StartWaiting(headStarted: true);
        var headersDue = Environment.TickCount64 + (long)Limits.RequestHeadersTimeout.TotalMilliseconds;
        deadline.StartWaiting(headStarted: true); // the next read of the same head, a byte later

        deadline.OnHeartbeat(headersDue + 500);

        Assert.Equal(HeadWaitStatus.TimedOut, deadline.Status);
    }

    [Fact]
    public void A_head_that_started_without_a_wait_changes_no_deadline()
    {
        var pipe = new Pipe();
        var deadline = new HeadDeadline(pipe.Reader, Limits);
        deadline.HeadStarted(); // a pipelined head, already received: no wait, no clock

        deadline.OnHeartbeat(long.MaxValue);

        Assert.Equal(HeadWaitStatus.NotWaiting, deadline.Status);
        Assert.False(deadline.StopWaiting());
    }

    [Fact]
    public void A_connection_that_does_not_wait_for_a_head_is_left_alone()
    {
        var pipe = new Pipe();
        var deadline = new HeadDeadline(pipe.Reader, Limits);
        deadline.StartWaiting();
        Assert.False(deadline.StopWaiting());

        deadline.OnHeartbeat(long.MaxValue);

        Assert.Equal(HeadWaitStatus.NotWaiting, deadline.Status);
        Assert.False(pipe.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData(130_000, 30_000, 1000)]
    [InlineData(130_000, 2_000, 500)]
    [InlineData(20, 20, 10)]
    public void The_heartbeat_beats_each_second_or_at_a_quarter_of_a_shorter_timeout(int keepAliveMs, int headersMs, int expectedMs)
    {
        var limits = new HttpLimits { KeepAliveTimeout = TimeSpan.FromMilliseconds(keepAliveMs), RequestHeadersTimeout = TimeSpan.FromMilliseconds(headersMs) };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), HeadDeadline.HeartbeatPeriod(limits));
    }
}
