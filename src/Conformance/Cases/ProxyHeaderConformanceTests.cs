using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// Proxy headers from a trusted peer change what the application sees (<c>REMOTE_ADDR</c>, the scheme, the host) the
/// same way on every host, and from an untrusted peer change nothing.
/// </summary>
public abstract class ProxyHeaderConformanceTests
{
    public static TheoryData<string> HttpHosts => ConformanceHosts.Supporting(HostCapabilities.Http);

    private static async Task<Dictionary<string, string?>> EnvironAsync(ServerUnderTest server, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/environ");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        return ResponsePlanConformanceTests.ReadEnviron(await response.Content.ReadAsStringAsync());
    }

    private static (string?, string?, string?, string?, string?, string?) Seen(Dictionary<string, string?> environ) =>
        (environ["REMOTE_ADDR"], environ["REMOTE_PORT"], environ["wsgi.url_scheme"], environ["HTTP_HOST"], environ["SERVER_NAME"], environ["SERVER_PORT"]);

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task X_forwarded_headers_from_a_trusted_proxy_are_what_the_application_sees(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host); // trusts 127.0.0.1, the default
        var environ = await EnvironAsync(server, ("X-Forwarded-For", "1.1.1.1, 203.0.113.7"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "chat.example"));
        Assert.Equal(("203.0.113.7", "0", "https", "chat.example", "chat.example", "443"), Seen(environ));
    }

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task A_forwarded_header_from_a_trusted_proxy_is_what_the_application_sees(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var environ = await EnvironAsync(server, ("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=\"chat.example:8443\""));
        Assert.Equal(("2001:db8:cafe::17", "4711", "https", "chat.example:8443", "chat.example", "8443"), Seen(environ));
    }

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task Proxy_headers_from_an_untrusted_peer_change_nothing(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { ForwardedAllowIps = TrustedProxies.Parse("10.0.0.1") });
        var plain = Seen(await EnvironAsync(server));
        var spoofed = Seen(await EnvironAsync(server, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"),
            ("Forwarded", "for=203.0.113.8;proto=https;host=evil.example")));
        Assert.Equal(("127.0.0.1", "http"), (plain.Item1, plain.Item3));
        Assert.Equal(plain with { Item2 = null }, spoofed with { Item2 = null }); // the port differs per connection
    }
}
