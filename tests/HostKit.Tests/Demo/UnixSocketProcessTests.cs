using HostKit.Tests.Support;

namespace HostKit.Tests.Demo;

/// <summary>
/// <c>--uds</c> as an operator uses it, on the Demo as a process: served next to a TCP address and named in the serving
/// line; after a SIGKILL the socket file stays behind, and the next start replaces it; a SIGTERM removes it.
/// </summary>
public class UnixSocketProcessTests
{
    [Theory]
    [InlineData("kestrel")]
    [InlineData("raw")]
    public async Task Uds_survives_a_killed_run_and_its_file_goes_with_a_graceful_stop(string host)
    {
        var path = UnixSocketClient.NewPath();
        try
        {
            await using (var killed = await DemoProcess.StartAtAsync(host, "http://127.0.0.1:0", "--uds", path))
            {
                Assert.Contains($" unix:{path}", killed.Output.Text, StringComparison.Ordinal);
                using var client = UnixSocketClient.Http(path);
                Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
                await killed.KillAsync();
            }
            Assert.True(File.Exists(path), "a killed process leaves its socket file behind");

            await using var again = await DemoProcess.StartAtAsync(host, "http://127.0.0.1:0", "--uds", path);
            using (var client = UnixSocketClient.Http(path))
                Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
            Assert.Equal(0, await again.StopAsync());
            Assert.False(File.Exists(path), "the socket file is still there after SIGTERM");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
