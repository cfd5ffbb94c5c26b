using System.Globalization;
using System.Text.RegularExpressions;
using HostKit.Hosts;
using HostKit.Tests.Conformance;
using HostKit.Tests.Support;

namespace HostKit.Tests.Demo;

/// <summary>
/// A server at its process's file-descriptor limit, as an outsider finds it: the Demo in a child process under a small
/// <c>ulimit -n</c>, sent more connections than the process may open at all. By default every host that limits
/// connections stops below the descriptor limit (less a reserve), refuses the rest at once, stays up, and serves again
/// as soon as connections close.
/// </summary>
public partial class DescriptorLimitTests
{
    private const int Descriptors = 256;

    // More than the process may hold at all, so that without a limit it runs out.
    private const int Connections = 300;

    public static TheoryData<string> LimitingHosts => ConformanceHosts.Supporting(HostCapabilities.ConnectionLimit | HostCapabilities.Network);

    [HostTheory, MemberData(nameof(LimitingHosts))]
    public async Task More_connections_than_descriptors_are_refused_and_the_server_serves_again_once_they_close(string host)
    {
        await using var demo = await DemoProcess.StartWithDescriptorLimitAsync(host, Descriptors);
        var limit = await ReadConnectionLimitAsync(demo);
        Assert.InRange(limit, 1, Descriptors - DescriptorBudget.MinimumReserve);

        var connections = new List<LoopbackConnection>();
        var (served, refused) = (0, 0);
        try
        {
            // All at once, as a flood comes: an engine that accepts ahead of the limit (a multishot accept took every
            // waiting connection before refusing one) meets its descriptor limit here, and the log says so.
            var opening = Enumerable.Range(0, Connections).Select(_ => LoopbackConnection.OpenAsync(demo.Address)).ToList();
            await Task.WhenAll(opening).ContinueWith(static _ => { }, TaskScheduler.Default);
            connections.AddRange(opening.Where(o => o.IsCompletedSuccessfully).Select(o => o.Result));
            Assert.All(opening, o => Assert.True(o.IsCompletedSuccessfully, o.Exception?.Message));
            foreach (var connection in connections)
            {
                try
                {
                    await connection.SendAsync(Plaintext(demo.Address));
                }
                catch (IOException)
                {
                    // Refused and closed before the request went out: read below.
                }
            }
            foreach (var connection in connections)
            {
                try
                {
                    var response = await connection.ReadResponseAsync();
                    if (response.Status == 200)
                    {
                        served++;
                        continue;
                    }
                    Assert.Equal(503, response.Status);
                    refused++;
                }
                catch (IOException)
                {
                    refused++; // closed without an answer, or the answer reset away: refused either way, never a hang
                }
            }
            Assert.False(demo.HasExited, "The server died at the descriptor limit:\n" + demo.Output.Text);
            Assert.InRange(served, 1, limit);
            Assert.Equal(Connections, served + refused);
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync();
        }

        Assert.Equal(200, await FirstServedAsync(demo.Address));
        Assert.False(demo.HasExited);
        Assert.Equal(0, await demo.StopAsync());
        // The limit kept the process below its descriptor limit: no accept failed for want of one (event 10, on the
        // hosts whose accept is the kit's).
        await demo.Output.Ended.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(demo.Output.Lines, l => l.Contains("Out of file descriptors", StringComparison.Ordinal));
    }

    /// <summary>The connection limit the start line gives: "at most N connections (descriptor limit 256, ...)".</summary>
    internal static async Task<long> ReadConnectionLimitAsync(DemoProcess demo)
    {
        var line = await demo.Output.WaitForAsync(l => LimitLine().IsMatch(l), TimeSpan.FromSeconds(30));
        var match = LimitLine().Match(line);
        Assert.Equal(Descriptors.ToString(CultureInfo.InvariantCulture), match.Groups[2].Value);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    internal static string Plaintext(Uri address) => $"GET /plaintext HTTP/1.1\r\nHost: {address.Authority}\r\n\r\n";

    /// <summary>
    /// The status of the first request answered 200 on a fresh connection, retried within a bounded deadline: the server
    /// learns of the closed connections a moment after the client closes them, and refuses until it has.
    /// </summary>
    internal static async Task<int> FirstServedAsync(Uri address)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = "nothing yet";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = await LoopbackConnection.OpenAsync(address);
                await connection.SendAsync(Plaintext(address));
                var response = await connection.ReadResponseAsync();
                if (response.Status == 200)
                    return 200;
                last = response.Status.ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No request was served within 30 s; the last answer: {last}");
    }

    [GeneratedRegex(@"listening on \S+, at most (\d+) connections \(descriptor limit (\d+),")]
    private static partial Regex LimitLine();
}
