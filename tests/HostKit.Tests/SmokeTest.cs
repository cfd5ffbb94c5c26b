namespace HostKit.Tests;

public class ResponseHeadTests
{
    [Fact]
    public void Rejects_header_values_that_would_split_the_response()
    {
        var head = new ResponseHead();
        var error = Assert.Throws<ArgumentException>(() => head.Start(200, [("X-Evil", "a\r\nSet-Cookie: x=1")]));
        Assert.Contains("CR, LF", error.Message, StringComparison.Ordinal);
        Assert.False(head.IsStarted);
    }
}
