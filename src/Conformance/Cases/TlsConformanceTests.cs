using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// What a host that declares <see cref="HostCapabilities.Tls"/> does on an <c>https://</c> address, the same on each: it
/// serves HTTP and websockets over TLS 1.2/1.3 with ALPN <c>http/1.1</c>, tells the application the scheme is https, and
/// closes a connection whose handshake fails (plain HTTP, garbage, a client that never finishes) without harm to the
/// server. The certificate comes from a CA made for the test run (<see cref="ThrowawayCertificateAuthority"/>).
/// </summary>
public abstract class TlsConformanceTests
{
    public static TheoryData<string> TlsHosts => ConformanceHosts.Supporting(HostCapabilities.Tls | HostCapabilities.Network);

    private static Task<ServerUnderTest> StartTlsAsync(string host, Func<ServerOptions, ServerOptions>? configure = null) =>
        ServerUnderTest.StartAsync(host, options =>
        {
            options = options with { Urls = [new Uri("https://127.0.0.1:0")], Tls = ThrowawayCertificateAuthority.ServerTls };
            return configure?.Invoke(options) ?? options;
        });

    private static HttpClient TrustingClient(ServerUnderTest server) =>
        new(new SocketsHttpHandler { SslOptions = ThrowawayCertificateAuthority.ClientOptions() })
        {
            BaseAddress = new UriBuilder(server.Address) { Host = "localhost" }.Uri,
            Timeout = TimeSpan.FromSeconds(30),
        };

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task An_https_address_serves_requests_and_the_application_sees_https(string host)
    {
        await using var server = await StartTlsAsync(host);
        Assert.Equal("https", server.Address.Scheme);
        using var client = TrustingClient(server);

        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        var echoed = await client.PostAsync("/echo", new ByteArrayContent(new byte[100_000]));
        Assert.Equal(100_000, (await echoed.Content.ReadAsByteArrayAsync()).Length);
        var environ = JsonSerializer.Deserialize<Dictionary<string, string>>(await client.GetStringAsync("/environ"))!;
        Assert.Equal("https", environ["wsgi.url_scheme"]);
    }

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task The_handshake_is_tls_1_2_or_1_3_and_alpn_picks_http_1_1_over_h2(string host)
    {
        await using var server = await StartTlsAsync(host);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Address.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(ThrowawayCertificateAuthority.ClientOptions("localhost", SslApplicationProtocol.Http2, SslApplicationProtocol.Http11))
            .WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);
        Assert.True(tls.SslProtocol is SslProtocols.Tls13 or SslProtocols.Tls12, $"negotiated {tls.SslProtocol}");
        await tls.WriteAsync("GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        var response = Encoding.ASCII.GetString(await ReadToEndAsync(tls));
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.EndsWith("Hello, World!", response, StringComparison.Ordinal);
    }

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task A_wss_echo_works_through_ClientWebSocket(string host)
    {
        await using var server = await StartTlsAsync(host);
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = ThrowawayCertificateAuthority.Validate;
        await socket.ConnectAsync(new Uri($"wss://localhost:{server.Address.Port}/ws/echo"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        await socket.EchoesTextAndLargeBinaryThenClosesAsync("hello over tls");
    }

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task Plain_http_to_the_tls_port_is_closed_and_the_server_serves_on(string host)
    {
        await using var server = await StartTlsAsync(host);
        await using (var plain = await server.OpenConnectionAsync())
        {
            await plain.SendAsync("GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Assert.True(await plain.IsClosedByServerAsync(TimeSpan.FromSeconds(30)), "the plain-HTTP connection was left open");
        }
        using var client = TrustingClient(server);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
    }

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task A_broken_handshake_is_closed_and_the_server_serves_on(string host)
    {
        await using var server = await StartTlsAsync(host);
        await using (var garbage = await server.OpenConnectionAsync())
        {
            // A TLS handshake record header announcing a ClientHello, then bytes that are none.
            await garbage.SendAsync([0x16, 0x03, 0x01, 0x00, 0x40, .. Enumerable.Repeat((byte)0xAB, 64)]);
            Assert.True(await garbage.IsClosedByServerAsync(TimeSpan.FromSeconds(30)), "the broken handshake was left open");
        }
        // A client that trusts nothing gives up in the middle of the handshake.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, server.Address.Port);
            await using var distrustful = new SslStream(tcp.GetStream());
            await Assert.ThrowsAsync<AuthenticationException>(() => distrustful.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => false,
            }).WaitAsync(TimeSpan.FromSeconds(15)));
        }
        using var client = TrustingClient(server);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
    }

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task A_handshake_never_finished_is_cut_off_at_the_head_timeout(string host)
    {
        await using var server = await StartTlsAsync(host, options => options with { Limits = new HttpLimits { RequestHeadersTimeout = TimeSpan.FromSeconds(1) } });
        await using var silent = await server.OpenConnectionAsync();
        await silent.SendAsync([0x16, 0x03, 0x01]); // the first bytes of a ClientHello, and nothing more
        Assert.True(await silent.IsClosedByServerAsync(TimeSpan.FromSeconds(30)), "a handshake that never finished was left open");
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var all = new MemoryStream();
        await stream.CopyToAsync(all).WaitAsync(TimeSpan.FromSeconds(15));
        return all.ToArray();
    }
}
