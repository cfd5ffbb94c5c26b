using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HostKit.Conformance.Support;
using HostKit.Hosts;
using HttpVersion = System.Net.HttpVersion;

namespace HostKit.Conformance.Cases;

/// <summary>
/// What a host that declares <see cref="HostCapabilities.Http2"/> does when <see cref="ServerOptions.Http2"/> is on, the same
/// on each: h2c by prior knowledge and HTTP/1.1 on one <c>http://</c> address, <c>h2</c> by ALPN on an <c>https://</c> one,
/// the application seeing <c>SERVER_PROTOCOL</c> <c>HTTP/2</c> with the same headers and bodies, and websockets over HTTP/2
/// (RFC 8441) reaching the same <see cref="IWebSocket"/>. The clients are .NET's, pinned to HTTP/2 (<see cref="Http2Clients"/>).
/// </summary>
public abstract class Http2ConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Http2Hosts => ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.Network);

    public static TheoryData<string> Http2TlsHosts => ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.Tls | HostCapabilities.Network);

    public static TheoryData<string> Http2WebSocketHosts => ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.WebSockets | HostCapabilities.Network);

    public static TheoryData<string> Http2CompressionHosts =>
        ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.WebSockets | HostCapabilities.WebSocketCompression | HostCapabilities.Network);

    public static TheoryData<string> Http2SubProtocolHosts =>
        ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols | HostCapabilities.Network);

    public static TheoryData<string, WebSocketMessageType, int> Http2HostsTypesAndSizes()
    {
        var data = new TheoryData<string, WebSocketMessageType, int>();
        foreach (var host in Http2WebSocketHosts)
        {
            foreach (var type in new[] { WebSocketMessageType.Text, WebSocketMessageType.Binary })
            {
                foreach (var size in new[] { 0, 125, 65_536, 1024 * 1024 })
                    data.Add(host, type, size);
            }
        }
        return data;
    }

    private static Task<ServerUnderTest> StartHttp2Async(string host, Func<ServerOptions, ServerOptions>? configure = null) =>
        ServerUnderTest.StartAsync(host, options => configure?.Invoke(options with { Http2 = true }) ?? options with { Http2 = true });

    [HostTheory, MemberData(nameof(Http2Hosts))]
    public async Task A_request_over_h2c_sees_SERVER_PROTOCOL_HTTP_2_and_the_same_headers(string host)
    {
        await using var server = await StartHttp2Async(host);
        using var client = Http2Clients.Http(server.Address);

        using var plaintext = await client.GetAsync("/plaintext");
        Assert.Equal(HttpVersion.Version20, plaintext.Version);
        Assert.Equal("Hello, World!", await plaintext.Content.ReadAsStringAsync());
        Assert.False(plaintext.Headers.Contains("Connection"), "HTTP/2 forbids the Connection header");

        using var request = Http2Clients.Request(HttpMethod.Get, "/environ?a=1");
        request.Headers.Add("X-Conformance", "h2");
        using var described = await client.SendAsync(request);
        var environ = JsonSerializer.Deserialize<Dictionary<string, string>>(await described.Content.ReadAsStringAsync())!;
        Assert.Equal("HTTP/2", environ["SERVER_PROTOCOL"]);
        Assert.Equal("GET", environ["REQUEST_METHOD"]);
        Assert.Equal("/environ", environ["PATH_INFO"]);
        Assert.Equal("a=1", environ["QUERY_STRING"]);
        Assert.Equal("h2", environ["HTTP_X_CONFORMANCE"]);
        Assert.Equal(server.Address.Authority, environ["HTTP_HOST"]);
        Assert.Equal("http", environ["wsgi.url_scheme"]);
    }

    [HostTheory, MemberData(nameof(Http2Hosts))]
    public async Task Bodies_with_and_without_a_length_echo_over_h2c(string host)
    {
        await using var server = await StartHttp2Async(host);
        using var client = Http2Clients.Http(server.Address);
        var payload = new byte[300_000];
        new Random(2).NextBytes(payload);

        using var sized = await client.PostAsync("/echo", new ByteArrayContent(payload));
        Assert.Equal(HttpStatusCode.OK, sized.StatusCode);
        Assert.Equal(payload, await sized.Content.ReadAsByteArrayAsync());

        // No Content-Length: the body is as long as the stream's DATA frames, HTTP/2's own framing.
        using var unsized = await client.PostAsync("/echo", new StreamContent(new UnseekableStream(payload)));
        Assert.Equal(payload, await unsized.Content.ReadAsByteArrayAsync());

        using var streamed = await client.GetAsync("/chunked");
        Assert.Equal(HttpVersion.Version20, streamed.Version);
        Assert.NotEmpty(await streamed.Content.ReadAsByteArrayAsync());
    }

    [HostTheory, MemberData(nameof(Http2Hosts))]
    public async Task Http_1_1_is_served_on_the_same_address(string host)
    {
        await using var server = await StartHttp2Async(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/environ") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("HTTP/1.1", JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!["SERVER_PROTOCOL"]);
    }

    [HostTheory, MemberData(nameof(Http2Hosts))]
    public async Task Many_streams_share_one_connection(string host)
    {
        await using var server = await StartHttp2Async(host);
        var connections = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = Http2Clients.Http(server.Address, handler);

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => client.PostAsync("/echo", new StringContent($"stream {i}"))));
        for (var i = 0; i < answers.Length; i++)
            Assert.Equal($"stream {i}", await answers[i].Content.ReadAsStringAsync());
        Assert.Equal(1, connections);
    }

    [HostTheory, MemberData(nameof(Http2Hosts))]
    public async Task A_refused_request_or_a_Connection_close_ends_only_its_stream(string host)
    {
        await using var server = await StartHttp2Async(host, o => o with { Limits = o.Limits with { MaxRequestBodyBytes = 1000 } });
        using var client = Http2Clients.Http(server.Address);

        using var refused = await client.PostAsync("/echo", new ByteArrayContent(new byte[5000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.StartsWith("413", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        // An application's Connection: close cannot close a connection other streams share: it is dropped, not sent.
        using var asksToClose = await client.GetAsync("/connection-close");
        Assert.False(asksToClose.Headers.Contains("Connection"));
        Assert.Equal("five!", await asksToClose.Content.ReadAsStringAsync());
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        Assert.DoesNotContain(server.Log.Entries, e => e.Message.Contains("have been removed", StringComparison.Ordinal));
    }

    [HostTheory, MemberData(nameof(Http2TlsHosts))]
    public async Task Over_tls_alpn_picks_h2_first_and_http_1_1_for_a_client_that_offers_only_it(string host)
    {
        await using var server = await StartHttp2Async(host, o => o with { Urls = [new Uri("https://127.0.0.1:0")], Tls = ThrowawayCertificateAuthority.ServerTls });
        Assert.Equal(SslApplicationProtocol.Http2, await NegotiateAsync(server.Address.Port, SslApplicationProtocol.Http11, SslApplicationProtocol.Http2));
        Assert.Equal(SslApplicationProtocol.Http11, await NegotiateAsync(server.Address.Port, SslApplicationProtocol.Http11));

        using var client = Http2Clients.Http(new UriBuilder(server.Address) { Host = "localhost" }.Uri,
            new SocketsHttpHandler { SslOptions = ThrowawayCertificateAuthority.ClientOptions() });
        var environ = JsonSerializer.Deserialize<Dictionary<string, string>>(await client.GetStringAsync("/environ"))!;
        Assert.Equal("HTTP/2", environ["SERVER_PROTOCOL"]);
        Assert.Equal("https", environ["wsgi.url_scheme"]);
    }

    [HostTheory, MemberData(nameof(Http2HostsTypesAndSizes))]
    public async Task A_websocket_over_http2_echoes_each_message_with_its_type_and_bytes(string host, WebSocketMessageType type, int size)
    {
        await using var server = await StartHttp2Async(host);
        using var socket = await Http2Clients.ConnectWebSocketAsync(server.Address, "/ws/echo");
        var payload = new byte[size];
        if (type == WebSocketMessageType.Text)
            payload.AsSpan().Fill((byte)'x');
        else
            new Random(size).NextBytes(payload);
        await socket.SendAsync(payload, type, true, CancellationToken.None).WaitAsync(Timeout);
        var (receivedType, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(type, receivedType);
        Assert.Equal(payload, data);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [HostTheory, MemberData(nameof(Http2WebSocketHosts))]
    public async Task A_websocket_over_http2_is_an_extended_CONNECT_the_handler_sees_as_sent(string host)
    {
        await using var server = await StartHttp2Async(host);
        using var socket = await Http2Clients.ConnectWebSocketAsync(server.Address, "/ws/request?room=blue&n=1");
        // RFC 8441: the method is CONNECT and there is no Upgrade header; the route and the query are the same.
        Assert.Equal("CONNECT /ws/request?room=blue&n=1 upgrade= from=127.0.0.1", await socket.ReceiveTextAsync());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Http2WebSocketHosts))]
    public async Task Close_codes_cross_an_http2_websocket_both_ways(string host)
    {
        await using var server = await StartHttp2Async(host);
        using (var observed = await Http2Clients.ConnectWebSocketAsync(server.Address, "/ws/observe"))
        {
            await observed.CloseAsync((WebSocketCloseStatus)4001, "client says bye", CancellationToken.None).WaitAsync(Timeout);
            var (status, description) = await server.App.ServerSawClose.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            Assert.Equal((WebSocketCloseStatus)4001, status);
            Assert.Equal("client says bye", description);
        }
        using var closed = await Http2Clients.ConnectWebSocketAsync(server.Address, "/ws/server-close");
        await closed.SendTextAsync("close please");
        Assert.Equal((WebSocketCloseStatus)4002, await closed.ReceiveCloseAsync());
        Assert.Equal("server says bye", closed.CloseStatusDescription);
    }

    [HostTheory, MemberData(nameof(Http2SubProtocolHosts))]
    public async Task The_subprotocol_is_negotiated_over_http2(string host)
    {
        await using var server = await StartHttp2Async(host);
        using var socket = await Http2Clients.ConnectWebSocketAsync(server.Address, "/ws/subprotocol", "chat.v1");
        Assert.Equal("chat.v1", socket.SubProtocol);
        Assert.Equal("chat.v1", await socket.ReceiveTextAsync());
    }

    [HostTheory, MemberData(nameof(Http2CompressionHosts))]
    public async Task Compression_is_negotiated_over_http2_as_over_http_1_1(string host)
    {
        await using var server = await StartHttp2Async(host, o => o with { WebSockets = o.WebSockets with { Compression = true } });
        var (socket, _) = await Http2Clients.TryConnectWebSocketAsync(server.Address, "/ws/echo",
            options => options.DangerousDeflateOptions = new WebSocketDeflateOptions { ClientContextTakeover = false, ServerContextTakeover = false });
        using var compressed = (ClientWebSocket)(socket ?? throw new Xunit.Sdk.XunitException("The compressed websocket over HTTP/2 was refused."));
        var extensions = compressed.HttpResponseHeaders is { } headers && headers.TryGetValue("Sec-WebSocket-Extensions", out var values) ? string.Join(", ", values) : null;
        Assert.Equal("permessage-deflate; server_no_context_takeover; client_no_context_takeover", extensions);
        var text = string.Concat(Enumerable.Repeat("{\"room\":\"lobby\",\"text\":\"hello\"}", 200));
        await compressed.SendTextAsync(text);
        Assert.Equal(text, await compressed.ReceiveTextAsync());
        await compressed.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Http2WebSocketHosts))]
    public async Task Refusals_over_http2_are_the_same_statuses(string host)
    {
        await using var server = await StartHttp2Async(host);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http2Clients.TryConnectWebSocketAsync(server.Address, "/ws/refuse")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Http2Clients.TryConnectWebSocketAsync(server.Address, "/ws/nowhere")).Status);

        using var client = Http2Clients.Http(server.Address);
        using var plain = await client.GetAsync("/ws/echo");
        Assert.Equal(HttpStatusCode.UpgradeRequired, plain.StatusCode);

        // A websocket CONNECT of another version is refused by the host, as an HTTP/1.1 handshake is.
        using var request = Http2Clients.Request(HttpMethod.Connect, "/ws/echo");
        request.Headers.Protocol = "websocket";
        request.Headers.Add("Sec-WebSocket-Version", "12");
        using var oldVersion = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.UpgradeRequired, oldVersion.StatusCode);
        Assert.Equal("13", Assert.Single(oldVersion.Headers.GetValues("Sec-WebSocket-Version")));
    }

    [HostTheory, MemberData(nameof(Http2WebSocketHosts))]
    public async Task Stopping_closes_an_http2_websocket_with_1001(string host)
    {
        await using var server = await StartHttp2Async(host);
        using var socket = await Http2Clients.ConnectWebSocketAsync(server.Address, "/ws/echo");
        await socket.SendTextAsync("still here");
        Assert.Equal("still here", await socket.ReceiveTextAsync());

        var stopping = server.Server.StopAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.ReceiveCloseAsync());
        await stopping.WaitAsync(Timeout);
    }

    private static async Task<SslApplicationProtocol> NegotiateAsync(int port, params SslApplicationProtocol[] offered)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(ThrowawayCertificateAuthority.ClientOptions("localhost", offered)).WaitAsync(Timeout);
        return tls.NegotiatedApplicationProtocol;
    }

    /// <summary>A body whose length the client cannot know in advance, so it is sent without Content-Length.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
