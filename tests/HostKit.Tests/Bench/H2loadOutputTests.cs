using HostKit.Bench.Load;

namespace HostKit.Tests.Bench;

/// <summary>The benchmark reads h2load's summary and per-request log (nghttp2 1.52's, as Debian 12 ships it) into its figures.</summary>
public class H2loadOutputTests
{
    private const string Summary = """
        Application protocol: h2c
        Main benchmark duration is over for thread #0. Stopping all clients.

        finished in 1.06s, 24841.00 req/s, 946.34KB/s
        requests: 24841 total, 24849 started, 24841 done, 24841 succeeded, 0 failed, 0 errored, 0 timeout
        status codes: 24841 2xx, 0 3xx, 0 4xx, 0 5xx
        traffic: 946.34KB (969051) total, 194.21KB (198870) headers (space savings 90.12%), 315.36KB (322933) data
        """;

    [Fact]
    public void The_summary_gives_the_count_the_window_and_no_errors()
    {
        var result = H2load.Parse(Summary, [100, 200, 300, 400], clientCpuSeconds: 0.5);
        Assert.NotNull(result);
        Assert.Equal(24841, result.Count);
        Assert.Equal(1.06, result.Seconds, 3);
        Assert.Equal(200, result.P50Microseconds);
        Assert.Equal(400, result.P99Microseconds);
        Assert.Equal(0.5, result.ClientCpuSeconds);
        Assert.Null(result.Errors);
    }

    [Fact]
    public void Failures_and_other_statuses_are_named_and_only_2xx_counts()
    {
        var output = Summary
            .Replace("24841 succeeded, 0 failed, 0 errored, 0 timeout", "24831 succeeded, 10 failed, 2 errored, 1 timeout", StringComparison.Ordinal)
            .Replace("24841 2xx, 0 3xx, 0 4xx, 0 5xx", "24800 2xx, 0 3xx, 31 4xx, 10 5xx", StringComparison.Ordinal);
        var result = H2load.Parse(output, [], 0)!;
        Assert.Equal(24800, result.Count);
        Assert.Null(result.P50Microseconds);
        Assert.Equal("h2load: 10 failed, 2 errored, 1 timeout, 41 non-2xx", result.Errors);
    }

    [Fact]
    public void No_summary_is_no_result_and_a_short_run_is_read_in_milliseconds()
    {
        Assert.Null(H2load.Parse("h2load: could not connect", [], 0));
        Assert.Equal(0.25, H2load.Parse(Summary.Replace("finished in 1.06s", "finished in 250.00ms", StringComparison.Ordinal), [], 0)!.Seconds, 3);
    }

    [Fact]
    public void The_request_log_gives_sorted_durations_in_microseconds()
    {
        var (sorted, lines) = H2load.Latencies(["1796624134789628\t200\t75083", "1796624134789628\t200\t64", "garbage", "1796624134789627\t200\t75260"]);
        Assert.Equal([64, 75083, 75260], sorted);
        Assert.Equal(4, lines);
    }
}
