using HostKit.Hosts;

namespace HostKit.Tests.Http1;

/// <summary>The framing rules as a host whose engine parsed the head applies them: one string per field line.</summary>
public class RequestFramingTests
{
    [Theory]
    [InlineData(new[] { "5" }, new string[0], null)]
    [InlineData(new[] { "5", "5" }, new string[0], null)]
    [InlineData(new string[0], new[] { "chunked" }, null)]
    [InlineData(new string[0], new[] { " Chunked " }, null)]
    [InlineData(new string[0], new string[0], null)]
    [InlineData(new[] { "+5" }, new string[0], RequestRejection.InvalidContentLength)]
    [InlineData(new[] { "5, 5" }, new string[0], RequestRejection.InvalidContentLength)]
    [InlineData(new[] { "" }, new string[0], RequestRejection.InvalidContentLength)]
    [InlineData(new[] { "99999999999999999999" }, new string[0], RequestRejection.InvalidContentLength)]
    [InlineData(new[] { "5", "6" }, new string[0], RequestRejection.ConflictingContentLength)]
    [InlineData(new[] { "5" }, new[] { "chunked" }, RequestRejection.ContentLengthWithTransferEncoding)]
    [InlineData(new string[0], new[] { "chunked", "chunked" }, RequestRejection.InvalidTransferEncoding)]
    [InlineData(new string[0], new[] { "chunked, chunked" }, RequestRejection.InvalidTransferEncoding)]
    [InlineData(new string[0], new[] { "identity" }, RequestRejection.InvalidTransferEncoding)]
    [InlineData(new string[0], new[] { "chunked, gzip" }, RequestRejection.InvalidTransferEncoding)]
    [InlineData(new string[0], new[] { "gzip, chunked" }, RequestRejection.UnsupportedTransferCoding)]
    public void Each_rule_gives_its_rejection(string[] contentLength, string[] transferEncoding, RequestRejection? expected) =>
        Assert.Equal(expected, RequestFraming.Check(contentLength, transferEncoding));

    [Fact]
    public void A_character_beyond_latin1_is_never_a_digit()
    {
        Assert.Equal(RequestRejection.InvalidContentLength, RequestFraming.ParseContentLength("５", out _)); // fullwidth 5
        Assert.Equal(RequestRejection.InvalidTransferEncoding, RequestFraming.CheckTransferEncoding(new string('x', 300)));
    }
}
