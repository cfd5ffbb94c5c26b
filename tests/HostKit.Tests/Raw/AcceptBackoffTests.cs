using HostKit.Tests.Demo;
using HostKit.Tests.Support;

namespace HostKit.Tests.Raw;

/// <summary>
/// Raw's accept loop when the process is out of descriptors after all (a connection limit set above what the
/// descriptors allow): it waits for connections to close instead of retrying at once, logs that once per interval
/// without a stack, stays up, and serves again once connections close.
/// </summary>
public class AcceptBackoffTests
{
    private const int Descriptors = 256;
    private const int Connections = 300;

    [Fact]
    public async Task Out_of_descriptors_the_accept_loop_waits_logs_once_per_interval_and_recovers()
    {
        await using var demo = await DemoProcess.StartWithDescriptorLimitAsync("raw", Descriptors, "--set", "HostKit:Limits:MaxConcurrentConnections=100000");
        var connections = new List<LoopbackConnection>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                // Past the descriptors, connections wait in the kernel's backlog: they open, and are not answered yet.
                var connection = await LoopbackConnection.OpenAsync(demo.Address);
                connections.Add(connection);
                await connection.SendAsync(DescriptorLimitTests.Plaintext(demo.Address));
            }
            await demo.Output.WaitForAsync(l => l.Contains("Out of file descriptors", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => demo.HasExited);
            // Still out of descriptors: the first connection is served, and the server has kept trying to accept meanwhile.
            Assert.Equal(200, (await connections[0].ReadResponseAsync()).Status);
            Assert.False(demo.HasExited, "The server died out of descriptors:\n" + demo.Output.Text);
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync();
        }

        Assert.Equal(200, await DescriptorLimitTests.FirstServedAsync(demo.Address));
        Assert.Equal(0, await demo.StopAsync());
        // One line per ten seconds, not one per failed accept, and no stack: this test takes well under a minute.
        var lines = demo.Output.Lines.ToList();
        Assert.InRange(lines.Count(l => l.Contains("Out of file descriptors", StringComparison.Ordinal)), 1, 6);
        Assert.DoesNotContain(lines, l => l.Contains("Connection accept failed", StringComparison.Ordinal));
    }
}
