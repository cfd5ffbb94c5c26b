using HostKit.Hosts;

namespace HostKit.Tests.Hosting;

/// <summary>The connection limit every host keeps by default: below the descriptor limit, less what is open and a reserve.</summary>
public class ConnectionLimitTests
{
    [Theory]
    [InlineData(256, 127, 64, 65)]        // the reserve is at least 64
    [InlineData(1024, 130, 102, 792)]     // a tenth of the limit above 640
    [InlineData(20000, 130, 2000, 17870)]
    [InlineData(100, 90, 64, 1)]          // never below one
    public void By_default_connections_take_what_the_descriptors_leave(long limit, long open, long reserve, long connections)
    {
        var budget = new DescriptorBudget(limit, open);
        Assert.Equal((reserve, connections), (budget.Reserve, budget.Connections));
        var chosen = ConnectionLimit.For(HttpLimits.Default, budget);
        Assert.Equal(connections, chosen.Value);
        Assert.Contains($"descriptor limit {limit}, {open} open at start, {reserve} kept", chosen.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_that_is_set_wins_and_says_when_it_is_over_what_the_descriptors_allow()
    {
        var budget = new DescriptorBudget(256, 127);
        Assert.Equal(10, ConnectionLimit.For(HttpLimits.Default with { MaxConcurrentConnections = 10 }, budget).Value);
        var over = ConnectionLimit.For(HttpLimits.Default with { MaxConcurrentConnections = 1000 }, budget);
        Assert.Equal(1000, over.Value);
        Assert.Contains("over the 65 the descriptors allow", over.Description, StringComparison.Ordinal);
        Assert.Null(ConnectionLimit.For(HttpLimits.Default, descriptors: null).Value);
    }

    [Theory]
    [InlineData("Max open files            1024                 524288               files     ", 1024L)]
    [InlineData("Max open files            unlimited            unlimited            files     ", null)]
    public void The_soft_limit_is_read_from_proc_self_limits(string line, long? expected) =>
        Assert.Equal(expected, DescriptorBudget.ReadLimit(["Limit                     Soft Limit           Hard Limit           Units     ", "Max processes             63422                63422                processes ", line]));

    [Fact]
    public void This_process_has_a_budget_on_linux()
    {
        var budget = DescriptorBudget.OfThisProcess();
        Assert.Equal(OperatingSystem.IsLinux(), budget is not null);
        if (budget is not null)
            Assert.InRange(budget.OpenAtStart, 3, budget.Limit);
    }
}
