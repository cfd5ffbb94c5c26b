using System.Text;

namespace HostKit.Tests.Http1;

/// <summary>The one comma-separated token scan (HeaderTokens) and the one keep-alive rule (ClientKeepAlive) built on it.</summary>
public class HeaderTokensTests
{
    [Theory]
    [InlineData("close", "close", true)]
    [InlineData("keep-alive, Upgrade", "upgrade", true)]
    [InlineData(" \tUPGRADE\t , keep-alive", "upgrade", true)]
    [InlineData("keep-alive", "close", false)]
    [InlineData("closed", "close", false)]
    [InlineData("", "close", false)]
    [InlineData(",,", "close", false)]
    public void A_token_is_found_in_a_list_whatever_its_case_and_the_blanks_around_it(string value, string token, bool expected)
    {
        Assert.Equal(expected, HeaderTokens.Contains(value, token));
        Assert.Equal(expected, HeaderTokens.Contains(Encoding.ASCII.GetBytes(value), Encoding.ASCII.GetBytes(token)));
    }

    [Fact]
    public void A_missing_header_holds_no_token() => Assert.False(HeaderTokens.Contains(null, "close"));

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "close", false)]
    [InlineData(true, "keep-alive, close", false)]
    [InlineData(false, null, false)]
    [InlineData(false, "Keep-Alive", true)]
    [InlineData(false, "keep-alive, close", false)]
    public void The_client_keeps_the_connection_by_its_version_and_connection_header(bool isHttp11, string? connection, bool expected) =>
        Assert.Equal(expected, ClientKeepAlive.Wanted(isHttp11, connection));
}
