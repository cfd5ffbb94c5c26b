using System.Net.WebSockets;
using HostKit.Hosts;
using HostKit.Testing;
using HostKit.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HostKit.Tests.Testing;

public class TestClientTests
{
    [Fact]
    public async Task Environ_is_filled_like_a_socket_host_fills_it()
    {
        Environ? seen = null;
        await using var client = new TestClient((environ, start) =>
        {
            seen = environ;
            start(204, []);
            return Body.Empty;
        });
        var response = await client.SendAsync("PUT", "/items/7?x=1", [9, 9], "application/x-test", [("X-Trace", "abc")]);
        Assert.Equal(204, response.Status);
        Assert.NotNull(seen);
        Assert.Equal(("PUT", "/items/7", "x=1", "application/x-test", 2L), (seen.RequestMethod, seen.PathInfo, seen.QueryString, seen.ContentType, seen.ContentLength));
        Assert.Equal("abc", seen["HTTP_X_TRACE"]);
        Assert.Equal("memory", seen.ServerSoftware);
        Assert.Equal("memory.test", seen["HTTP_HOST"]);
    }

    [Theory]
    [InlineData("/a/../b", "/a/../b", "")]
    [InlineData("/a%2Fb/./c?q=%20", "/a%2Fb/./c", "q=%20")]
    [InlineData("//double", "//double", "")]
    public async Task Path_info_is_the_target_as_written_not_normalised(string target, string path, string query)
    {
        // Regression: PATH_INFO came from Uri.AbsolutePath, which resolves dot segments; socket hosts pass it as sent.
        var seen = (Path: "", Query: "");
        await using var client = new TestClient((environ, start) =>
        {
            seen = (environ.PathInfo, environ.QueryString);
            start(200, []);
            return Body.Empty;
        });
        await client.GetAsync(target);
        Assert.Equal((path, query), seen);
    }

    [Fact]
    public async Task An_app_exception_is_a_500_and_a_log_entry()
    {
        var log = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        await using var client = new TestClient((_, _) => throw new InvalidOperationException("nope"), new ServerOptions { LoggerFactory = factory });
        Assert.Equal(500, (await client.GetAsync("/")).Status);
        Assert.Contains(log.Entries, e => e.Exception?.Message == "nope");
    }

    [Fact]
    public async Task A_refused_request_is_answered_in_memory_as_the_socket_hosts_answer_it()
    {
        await using var client = new TestClient((_, _) => throw new RequestRejectedException(RequestRejection.BodyTooLarge));
        var response = await client.PostAsync("/upload", "too much");
        var expected = RequestRejections.Body(RequestRejection.BodyTooLarge).ToArray();
        Assert.Equal(413, response.Status);
        Assert.Equal(RequestRejections.ContentType, response.Header("Content-Type"));
        Assert.Equal(expected.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Content-Length"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(expected, response.Body);
    }

    [Fact]
    public async Task A_refused_upgrade_throws_with_the_status_and_a_failing_handler_closes_with_1011()
    {
        var routes = new WebSocketRoutes()
            .Map("/private", (_, _) => ValueTask.CompletedTask, new WebSocketRouteOptions
            {
                Authorize = _ => ValueTask.FromResult<WebSocketRefusal?>(new WebSocketRefusal(401, "log in first")),
            })
            .Map("/fails", async socket =>
            {
                await socket.ReceiveAsync();
                throw new InvalidOperationException("handler bug");
            });
        await using var client = new TestClient(routes.Wrap((_, start) =>
        {
            start(404, []);
            return Body.Empty;
        }));

        var refused = await Assert.ThrowsAsync<WebSocketUpgradeRefusedException>(() => client.ConnectWebSocketAsync("/private"));
        Assert.Equal((401, "log in first"), (refused.Status, refused.Body));

        using var socket = await client.ConnectWebSocketAsync("/fails");
        await socket.SendTextAsync("go");
        Assert.Equal(WebSocketCloseStatus.InternalServerError, await socket.ReceiveCloseAsync());
    }
}
