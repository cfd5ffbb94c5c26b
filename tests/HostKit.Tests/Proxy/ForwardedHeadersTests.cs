using System.Net;
using HostKit.Hosts;

namespace HostKit.Tests.Proxy;

public sealed class ForwardedHeadersTests
{
    private static readonly TrustedProxies Loopback = TrustedProxies.Default;

    private static ForwardedRequest? XForwarded(string? forwardedFor, string? proto = null, string? host = null, string peer = "127.0.0.1", TrustedProxies? trusted = null) =>
        ForwardedHeaders.Resolve(trusted ?? Loopback, peer, null, forwardedFor, proto, host);

    private static ForwardedRequest? Forwarded(string forwarded, string peer = "127.0.0.1", TrustedProxies? trusted = null) =>
        ForwardedHeaders.Resolve(trusted ?? Loopback, peer, forwarded, null, null, null);

    [Fact]
    public void X_forwarded_headers_from_a_trusted_peer_name_the_client()
    {
        Assert.Equal(new ForwardedRequest("203.0.113.7", 0, "https", "example.com"), XForwarded("203.0.113.7", "https", "example.com"));
    }

    [Fact]
    public void A_spoofed_x_forwarded_for_from_an_untrusted_peer_changes_nothing()
    {
        Assert.Null(XForwarded("10.9.9.9", "https", "evil.example", peer: "198.51.100.2"));
        Assert.Null(Forwarded("for=10.9.9.9;proto=https", peer: "198.51.100.2"));
    }

    [Fact]
    public void The_rightmost_untrusted_hop_is_the_client_and_what_it_claimed_to_its_left_is_not_believed()
    {
        // The client sent "X-Forwarded-For: 1.1.1.1" itself; nginx appended the address it really came from.
        Assert.Equal("203.0.113.7", XForwarded("1.1.1.1, 203.0.113.7")!.Value.ClientAddress);
        // Two proxies of ours (10.0.0.0/8 and loopback): the walk skips them both.
        var ours = TrustedProxies.Parse("127.0.0.1, 10.0.0.0/8");
        Assert.Equal("203.0.113.7", XForwarded("1.1.1.1, 203.0.113.7, 10.1.2.3", trusted: ours)!.Value.ClientAddress);
        // Every hop trusted: the leftmost is the client.
        Assert.Equal("10.0.0.9", XForwarded("10.0.0.9, 10.1.2.3", trusted: ours)!.Value.ClientAddress);
    }

    [Fact]
    public void Proto_and_host_lists_line_up_with_the_addresses_from_the_right()
    {
        var ours = TrustedProxies.Parse("127.0.0.1, 10.0.0.0/8");
        // The untrusted CDN (203.0.113.7) talked http to our edge proxy: that is the scheme the client hop had.
        Assert.Equal("http", XForwarded("198.51.100.1, 203.0.113.7", "https, http", trusted: ours)!.Value.Scheme);
        // One value, set by the last proxy, stands for the whole chain.
        Assert.Equal("https", XForwarded("198.51.100.1, 203.0.113.7", "https", trusted: ours)!.Value.Scheme);
    }

    [Fact]
    public void X_forwarded_proto_alone_keeps_the_peers_address()
    {
        Assert.Equal(new ForwardedRequest(null, 0, "https", null), XForwarded(null, "HTTPS"));
    }

    [Fact]
    public void Rfc7239_forwarded_gives_address_port_scheme_and_host_of_one_element()
    {
        Assert.Equal(new ForwardedRequest("192.0.2.60", 0, "https", "example.com"), Forwarded("for=192.0.2.60;proto=https;by=203.0.113.43;host=example.com"));
        Assert.Equal(new ForwardedRequest("2001:db8:cafe::17", 4711, null, null), Forwarded("For=\"[2001:db8:cafe::17]:4711\""));
        Assert.Equal("192.0.2.43", Forwarded("for=192.0.2.43:8080 ; proto=http")!.Value.ClientAddress);
        Assert.Equal(new ForwardedRequest("_hidden", 0, null, null), Forwarded("for=_hidden"));
        Assert.Equal("unknown", Forwarded("for=unknown")!.Value.ClientAddress);
    }

    [Fact]
    public void Rfc7239_elements_are_walked_from_the_right_like_x_forwarded_for()
    {
        var ours = TrustedProxies.Parse("127.0.0.1, 10.0.0.0/8");
        var request = Forwarded("for=1.1.1.1;proto=https, for=198.51.100.17;proto=http;host=a.example, for=10.0.0.5;proto=https;host=b.example", trusted: ours);
        Assert.Equal(new ForwardedRequest("198.51.100.17", 0, "http", "a.example"), request);
    }

    [Fact]
    public void Forwarded_wins_over_x_forwarded_for()
    {
        var request = ForwardedHeaders.Resolve(Loopback, "127.0.0.1", "for=192.0.2.1", "203.0.113.9", "https", null);
        Assert.Equal(new ForwardedRequest("192.0.2.1", 0, null, null), request);
    }

    [Theory]
    [InlineData("for=")]
    [InlineData("for=\"192.0.2.1")]
    [InlineData("for=192.0.2.1;proto=ftp")]
    [InlineData("for=192.0.2.1;host=\"a b\"")]
    [InlineData("for=192.0.2.1,,")]
    [InlineData("for=not-an-address")]
    [InlineData("for=\"[::1\"")]
    [InlineData("for=192.0.2.1:99999")]
    [InlineData("for=192.0.2.1 garbage")]
    public void A_malformed_forwarded_header_is_ignored_as_a_whole(string header)
    {
        Assert.Null(Forwarded(header));
    }

    [Theory]
    [InlineData("203.0.113.7, <script>", null, null)]
    [InlineData("203.0.113.7", "gopher", null)]
    [InlineData("203.0.113.7", null, "a/b")]
    [InlineData("203.0.113.7", null, "user@a")]
    public void Malformed_x_forwarded_headers_are_ignored_as_a_whole(string forwardedFor, string? proto, string? host)
    {
        Assert.Null(XForwarded(forwardedFor, proto, host));
    }

    [Fact]
    public void Nobody_is_trusted_when_the_list_is_empty()
    {
        Assert.True(TrustedProxies.Parse("").IsEmpty);
        Assert.Null(XForwarded("203.0.113.7", trusted: TrustedProxies.None));
    }

    [Fact]
    public void Trusted_proxies_take_addresses_ranges_and_a_star()
    {
        var trusted = TrustedProxies.Parse("127.0.0.1, 10.0.0.0/8, fd00::/8, ::1");
        Assert.True(trusted.Contains(IPAddress.Parse("10.200.0.1")));
        Assert.True(trusted.Contains(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(trusted.Contains("fd12::1"));
        Assert.True(trusted.Contains("::1"));
        Assert.False(trusted.Contains("127.0.0.2"));
        Assert.False(trusted.Contains("11.0.0.1"));
        Assert.False(trusted.Contains("not an address"));
        Assert.True(TrustedProxies.Parse("*").Contains("198.51.100.2"));
        var refused = Assert.Throws<FormatException>(() => TrustedProxies.Parse("127.0.0.1, localhost"));
        Assert.Contains("'localhost'", refused.Message);
    }

    [Fact]
    public void A_unix_socket_peer_is_trusted_with_unix_or_a_star_and_never_by_default()
    {
        Assert.False(TrustedProxies.Default.Contains(UnixSocketPeer.RemoteAddress));
        Assert.False(TrustedProxies.Parse("127.0.0.1, ::1, 0.0.0.0/0").Contains(UnixSocketPeer.RemoteAddress));
        var unix = TrustedProxies.Parse("unix");
        Assert.False(unix.IsEmpty);
        Assert.True(unix.Contains(UnixSocketPeer.RemoteAddress));
        Assert.False(unix.Contains("127.0.0.1"));
        Assert.True(TrustedProxies.Parse("*").Contains(UnixSocketPeer.RemoteAddress));
        Assert.Equal("127.0.0.1, unix", TrustedProxies.Parse("127.0.0.1,unix").Text);
        Assert.Equal("203.0.113.7", XForwarded("203.0.113.7", peer: UnixSocketPeer.RemoteAddress, trusted: unix)?.ClientAddress);
        Assert.Null(XForwarded("203.0.113.7", peer: UnixSocketPeer.RemoteAddress, trusted: TrustedProxies.Default));
    }
}
