using HostKit.Chat.Redis;
using StackExchange.Redis;

namespace HostKit.Tests.ScaleOut;

public class RedisAddressTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6380", "127.0.0.1:6380", null, -1)]
    [InlineData("redis://localhost", "localhost:6379", null, -1)]
    [InlineData("redis://:s3cret@10.0.0.5:6379/2", "10.0.0.5:6379", "s3cret", 2)]
    public void A_redis_url_becomes_connection_settings_that_keep_a_node_up_while_redis_is_down(string address, string endpoint, string? password, int database)
    {
        var options = RedisAddress.Parse(address);
        Assert.Equal(endpoint, options.EndPoints[0] switch
        {
            System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            var other => other.ToString(),
        });
        Assert.Equal(password, options.Password);
        Assert.Equal(database, options.DefaultDatabase ?? -1);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("http://127.0.0.1:6379")]
    [InlineData("redis://127.0.0.1:6379/zero")]
    public void Anything_else_is_an_error_that_shows_the_form(string address)
    {
        Assert.Contains("redis://", Assert.Throws<FormatException>(() => RedisAddress.Parse(address)).Message, StringComparison.Ordinal);
    }
}
