using System.Net.WebSockets;
using System.Text.Json;
using HostKit.Tests.Support;

namespace HostKit.Tests.Proxy;

/// <summary>
/// deploy/nginx-unix.conf as it is, with real nginx (its workers run as another user when the master is root, so the
/// socket file's mode is tested too): requests, bodies and websockets pass over the app's unix socket, and with
/// <c>--forwarded-allow-ips unix</c> the application sees the client's address from nginx's <c>X-Forwarded-For</c>.
/// </summary>
public class NginxUnixSocketTests
{
    public static TheoryData<string> UnixSocketHosts => ConformanceHosts.Supporting(HostCapabilities.UnixSockets | HostCapabilities.Network);

    [Theory, MemberData(nameof(UnixSocketHosts))]
    public async Task Nginx_passes_requests_and_websockets_over_the_socket_and_the_app_sees_the_client(string host)
    {
        var path = UnixSocketClient.NewPath();
        await using var server = await ServerUnderTest.StartAsync(host,
            o => o with { Urls = [ListenAddress.UnixSocket(path)], ForwardedAllowIps = TrustedProxies.Parse(TrustedProxies.UnixSockets) });
        await using var nginx = await NginxServer.InFrontOfUnixSocketAsync(path);
        using var http = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));
        var body = new byte[200_000];
        Random.Shared.NextBytes(body);
        using (var echoed = await http.PostAsync("/echo", new ByteArrayContent(body)))
        {
            Assert.True(echoed.IsSuccessStatusCode, $"{(int)echoed.StatusCode} through nginx:\n{nginx.Output.Text}");
            Assert.Equal(body, await echoed.Content.ReadAsByteArrayAsync());
        }
        var environ = JsonSerializer.Deserialize<Dictionary<string, string?>>(await http.GetStringAsync("/environ"))!;
        Assert.Equal(("127.0.0.1", "http", nginx.Address.Authority), (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"], environ["HTTP_HOST"]));

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(nginx.Address) { Scheme = "ws", Path = "/ws/request" }.Uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.EndsWith("upgrade=websocket from=127.0.0.1", await socket.ReceiveTextAsync(), StringComparison.Ordinal);
        using var echo = new ClientWebSocket();
        await echo.ConnectAsync(new UriBuilder(nginx.Address) { Scheme = "ws", Path = "/ws/echo" }.Uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        await echo.SendTextAsync("through nginx and a unix socket");
        Assert.Equal("through nginx and a unix socket", await echo.ReceiveTextAsync());
        await echo.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
    }
}
