using HostKit.Conformance;
using HostKit.Conformance.Support;

namespace HostKit.Tests.Pipes;

/// <summary>
/// docs/hosts.md's rule for hosts on the kit's HTTP/1.1: a client that half-closes while its body is being read has
/// ended the body early, which is its error (400), not an abort of the request. The conformance case
/// (<c>A_chunked_body_cut_short_by_a_half_close_is_never_answered_as_whole</c>) lets an engine that cannot answer any
/// more just close; these hosts must answer.
/// </summary>
public class HalfClosedBodyTests
{
    [HostTheory]
    [InlineData("raw")]
    [InlineData("minimal")]
    [InlineData("kestrel-transport")]
    public async Task A_body_cut_short_by_a_half_close_is_answered_400(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        foreach (var body in (string[])["Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc", "Content-Length: 10\r\n\r\nhello"])
        {
            await using var connection = await server.OpenConnectionAsync();
            await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\n{body}");
            connection.ShutdownSend();
            var answer = await connection.ReadTextUntilClosedAsync();
            Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        }
    }
}
