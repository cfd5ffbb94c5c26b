namespace HostKit.Tests.Http1;

/// <summary>The size limits checked on a head an engine parsed itself (<see cref="EngineHeadLimits"/>), as the kit's parser applies them to bytes.</summary>
public class EngineHeadLimitsTests
{
    private static readonly HttpLimits Limits = new() { MaxRequestLineBytes = 64, MaxRequestHeadersBytes = 64, MaxRequestHeaderCount = 2, MaxRequestBodyBytes = 10 };

    [Fact]
    public void A_head_within_the_limits_passes() =>
        Assert.Null(EngineHeadLimits.Check("GET", "/", [new("Host", "a")], 10, Limits));

    [Fact]
    public void A_target_with_a_byte_outside_visible_ascii_is_refused() =>
        Assert.Equal(RequestRejection.InvalidTarget, EngineHeadLimits.Check("GET", "/caf\u00c3\u00a9", [], null, Limits));

    [Fact]
    public void A_request_line_over_the_limit_is_refused() =>
        Assert.Equal(RequestRejection.RequestLineTooLong, EngineHeadLimits.Check("GET", "/" + new string('a', 60), [], null, Limits));

    [Fact]
    public void More_headers_than_the_count_is_refused() =>
        Assert.Equal(RequestRejection.TooManyHeaders, EngineHeadLimits.Check("GET", "/", [new("A", "1"), new("B", "2"), new("C", "3")], null, Limits));

    [Fact]
    public void Header_bytes_over_the_limit_are_refused() =>
        Assert.Equal(RequestRejection.HeadersTooLarge, EngineHeadLimits.Check("GET", "/", [new("A", new string('x', 60))], null, Limits));

    [Fact]
    public void A_declared_body_over_the_limit_is_refused() =>
        Assert.Equal(RequestRejection.BodyTooLarge, EngineHeadLimits.Check("POST", "/", [], 11, Limits));
}
