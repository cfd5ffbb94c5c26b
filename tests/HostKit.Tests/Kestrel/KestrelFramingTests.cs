using HostKit.Tests.Conformance;

namespace HostKit.Tests.Kestrel;

/// <summary>
/// The one framing difference left between the kestrel host and the host kit's rules (docs/limits.md): Kestrel keeps
/// only the number of a <c>Content-Length</c>, so its adapter cannot see a sign that Raw refuses.
/// </summary>
public class KestrelFramingTests
{
    [Fact]
    public async Task Kestrel_reads_a_signed_content_length_as_its_number_and_stays_in_step()
    {
        await using var server = await ServerUnderTest.StartAsync("kestrel");
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Length: +5\r\n\r\nhello" + AmbiguousFramingConformanceTests.Hidden.Replace("{0}", server.Address.Authority, StringComparison.Ordinal));
        var echoed = await connection.ReadResponseAsync();
        Assert.Equal((200, "hello"), (echoed.Status, echoed.Text));
        var next = await connection.ReadResponseAsync();
        Assert.Equal((200, AmbiguousFramingConformanceTests.Hello), (next.Status, next.Text)); // exactly five bytes were the body: the next request is in step
    }
}
