using HostKit.Chat;
using Microsoft.Extensions.Configuration;

namespace HostKit.Tests.Chat;

public class ChatOptionsTests
{
    private static ChatOptions Bind(Dictionary<string, string?> values) =>
        ChatOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void Without_a_section_the_documented_defaults_apply()
    {
        var options = Bind([]);
        Assert.Equal((null, 0, 0, 50, 1000, 10, 4096), (options.Token, options.Tokens.Count, options.AllowedOrigins.Count, options.HistoryCount, options.HistoryLimit, options.MaxMessagesPerSecond, options.MaxMessageBytes));
        Assert.Empty(options.AcceptedTokens);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BackplaneDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.SlowMemberCloseTimeout);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)), (options.NodeHeartbeatInterval, options.NodeExpiry));
    }

    [Fact]
    public void Every_key_binds_from_HostKit_Chat()
    {
        var options = Bind(new()
        {
            ["HostKit:Chat:Token"] = "one",
            ["HostKit:Chat:Tokens:0"] = "two",
            ["HostKit:Chat:Tokens:1"] = "three",
            ["HostKit:Chat:AllowedOrigins:0"] = "https://chat.example.com",
            ["HostKit:Chat:HistoryCount"] = "20",
            ["HostKit:Chat:HistoryLimit"] = "200",
            ["HostKit:Chat:MaxMessagesPerSecond"] = "5",
            ["HostKit:Chat:MaxMessageBytes"] = "1024",
            ["HostKit:Chat:BackplaneDeadline"] = "00:00:05",
            ["HostKit:Chat:SlowMemberCloseTimeout"] = "00:00:00.500",
            ["HostKit:Chat:NodeHeartbeatInterval"] = "00:00:01",
            ["HostKit:Chat:NodeExpiry"] = "00:00:04",
        });
        Assert.Equal(TimeSpan.FromSeconds(5), options.BackplaneDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.SlowMemberCloseTimeout);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)), (options.NodeHeartbeatInterval, options.NodeExpiry));
        Assert.Equal(["two", "three", "one"], options.AcceptedTokens);
        Assert.Equal(["https://chat.example.com"], options.AllowedOrigins);
        Assert.Equal((20, 200, 5, 1024), (options.HistoryCount, options.HistoryLimit, options.MaxMessagesPerSecond, options.MaxMessageBytes));
    }

    [Theory]
    [InlineData("HostKit:Chat:HistroyCount", "5", "HostKit:Chat:HistroyCount is not a chat setting: HostKit:Chat takes AllowedOrigins, Backplane, BackplaneDeadline, HistoryCount, HistoryLimit, ")]
    [InlineData("HostKit:Chat:HistoryCount", "many", "HostKit:Chat")]
    [InlineData("HostKit:Chat:HistoryCount", "2000", "HostKit:Chat:HistoryCount = 2000 is out of range")]
    [InlineData("HostKit:Chat:MaxMessagesPerSecond", "-1", "HostKit:Chat:MaxMessagesPerSecond")]
    [InlineData("HostKit:Chat:AllowedOrigins:0", "chat.example.com", "not an origin")]
    [InlineData("HostKit:Chat:BackplaneDeadline", "00:00:00", "HostKit:Chat:BackplaneDeadline = 00:00:00 is out of range")]
    [InlineData("HostKit:Chat:SlowMemberCloseTimeout", "00:00:00", "HostKit:Chat:SlowMemberCloseTimeout = 00:00:00 is out of range")]
    [InlineData("HostKit:Chat:NodeExpiry", "00:00:05", "HostKit:Chat:NodeExpiry = 00:00:05 is out of range: it must be longer than NodeHeartbeatInterval")]
    public void A_bad_value_is_an_error_that_names_it(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new() { [key] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
