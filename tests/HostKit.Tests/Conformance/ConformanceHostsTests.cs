using HostKit.Conformance;
using HostKit.Hosts;

namespace HostKit.Tests.Conformance;

/// <summary>
/// <c>HOSTKIT_HOST</c> narrows the suite to one host: a test written for another host is skipped with its reason, not
/// failed with "Unknown host", and a misspelled name still fails.
/// </summary>
public class ConformanceHostsTests
{
    [Fact]
    public void A_test_for_another_host_is_skipped_with_the_reason_when_the_suite_is_narrowed()
    {
        Assert.Equal("HOSTKIT_HOST=raw narrows the suite to that host; this test is for 'httplistener'.",
            ConformanceHosts.SkipReason(ConformanceHosts.All, "raw", "httplistener"));
    }

    [Fact]
    public void The_chosen_host_and_the_in_memory_host_run_when_the_suite_is_narrowed()
    {
        Assert.Null(ConformanceHosts.SkipReason(ConformanceHosts.All, "httplistener", "httplistener"));
        Assert.Null(ConformanceHosts.SkipReason(ConformanceHosts.All, "raw", "memory"));
        Assert.Null(ConformanceHosts.SkipReason(ConformanceHosts.All, null, "kestrel-transport"));
    }

    [Fact]
    public void A_name_that_is_no_host_still_fails()
    {
        Assert.Throws<HostStartException>(() => ConformanceHosts.SkipReason(ConformanceHosts.All, "raw", "nginx"));
        Assert.Throws<HostStartException>(() => ConformanceHosts.SkipReason(ConformanceHosts.All, "rwa", "raw"));
    }
}
