using HostKit.Hosts;

namespace HostKit.Tests.Http1;

/// <summary>The response plan as a table: request, status, the application's framing headers and body in; what goes on the wire out.</summary>
public class ResponsePlanTests
{
    public enum Shape
    {
        Empty,
        Buffer5,
        Stream5,
        StreamUnknown,
        Chunks,
    }

    public static TheoryData<string, int, long?, bool, Shape, string> Table => new()
    {
        // request      status  app CL  app close  body                 framing, CL, sends body, exact, keep-alive, Connection
        { "GET 1.1",     200,   null,   false,     Shape.Buffer5,       "ContentLength 5 body exact= keep None" },
        { "GET 1.1",     200,   null,   false,     Shape.Empty,         "ContentLength 0 - exact= keep None" },
        { "GET 1.1",     200,   99,     false,     Shape.Buffer5,       "ContentLength 5 body exact= keep None" },
        { "GET 1.1",     200,   null,   false,     Shape.Stream5,       "ContentLength 5 body exact=5 keep None" },
        { "GET 1.1",     200,   7,      false,     Shape.StreamUnknown, "ContentLength 7 body exact=7 keep None" },
        { "GET 1.1",     200,   0,      false,     Shape.Chunks,        "ContentLength 0 body exact=0 keep None" },
        { "GET 1.1",     200,   null,   false,     Shape.StreamUnknown, "Chunked - body exact= keep None" },
        { "GET 1.1",     200,   null,   false,     Shape.Chunks,        "Chunked - body exact= keep None" },
        { "GET 1.0",     200,   null,   false,     Shape.Chunks,        "CloseDelimited - body exact= close Close" },
        { "GET 1.0 ka",  200,   null,   false,     Shape.Buffer5,       "ContentLength 5 body exact= keep KeepAlive" },
        { "GET 1.0 ka",  200,   null,   false,     Shape.Chunks,        "CloseDelimited - body exact= close Close" },
        { "GET 1.1",     200,   null,   true,      Shape.Buffer5,       "ContentLength 5 body exact= close Close" },
        { "GET 1.1 cl",  200,   null,   false,     Shape.Buffer5,       "ContentLength 5 body exact= close Close" },
        { "GET 1.1",     204,   null,   false,     Shape.Buffer5,       "None - - exact= keep None" },
        { "GET 1.1",     204,   5,      false,     Shape.Empty,         "None - - exact= keep None" },
        { "GET 1.1",     304,   null,   false,     Shape.Buffer5,       "None - - exact= keep None" },
        { "GET 1.1",     304,   42,     false,     Shape.Empty,         "None 42 - exact= keep None" },
        { "GET 1.1",     100,   null,   false,     Shape.Buffer5,       "None - - exact= keep None" },
        { "HEAD 1.1",    200,   null,   false,     Shape.Buffer5,       "None 5 - exact= keep None" },
        { "HEAD 1.1",    200,   null,   false,     Shape.Stream5,       "None 5 - exact= keep None" },
        { "HEAD 1.1",    200,   1234,   false,     Shape.Empty,         "None 1234 - exact= keep None" },
        { "HEAD 1.1",    200,   null,   false,     Shape.Empty,         "None 0 - exact= keep None" },
        { "HEAD 1.1",    200,   null,   false,     Shape.StreamUnknown, "None - - exact= keep None" },
        { "HEAD 1.0",    200,   null,   false,     Shape.Chunks,        "None - - exact= close Close" },
    };

    [Theory, MemberData(nameof(Table))]
    public void The_plan_follows_the_table(string request, int status, long? declared, bool asksToClose, Shape shape, string expected)
    {
        var summary = new RequestSummary(
            IsHead: request.StartsWith("HEAD", StringComparison.Ordinal),
            IsHttp11: request.Contains("1.1", StringComparison.Ordinal),
            KeepAlive: request.Contains("1.1", StringComparison.Ordinal) ? !request.EndsWith(" cl", StringComparison.Ordinal) : request.EndsWith(" ka", StringComparison.Ordinal));
        var plan = ResponsePlan.For(summary, status, declared, asksToClose, Make(shape));
        var actual = $"{plan.Framing} {plan.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {(plan.SendsBody ? "body" : "-")} " +
            $"exact={plan.ExactBodyLength} {(plan.KeepAlive ? "keep" : "close")} {plan.Connection}";
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_application_header_values_reach_the_plan_through_the_response_head()
    {
        var head = new ResponseHead();
        head.Start(200, [("Content-Length", "12"), ("Connection", "keep-alive, Close"), ("Transfer-Encoding", "gzip")]);
        Assert.Equal((12L, true), (head.DeclaredContentLength, head.AsksToClose));
        var plan = ResponsePlan.For(new RequestSummary(false, true, true), head, Body.Of(new MemoryStream(new byte[12])));
        Assert.Equal((BodyFraming.ContentLength, 12L, 12L, false), (plan.Framing, plan.ContentLength, plan.ExactBodyLength, plan.KeepAlive));
    }

    [Theory]
    [InlineData("Content-Length", true)]
    [InlineData("content-length", true)]
    [InlineData("Transfer-Encoding", true)]
    [InlineData("CONNECTION", true)]
    [InlineData("Content-Type", false)]
    [InlineData("Keep-Alive", false)]
    public void Framing_headers_are_the_plans(string name, bool framing) => Assert.Equal(framing, ResponsePlan.IsFramingHeader(name));

    [Theory]
    [InlineData("-1")]
    [InlineData("12x")]
    [InlineData("")]
    [InlineData("1, 2")]
    public void A_malformed_application_content_length_is_refused_at_start_response(string value)
    {
        var head = new ResponseHead();
        Assert.Throws<ArgumentException>(() => head.Start(200, [("Content-Length", value)]));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(199)]
    [InlineData(1000)]
    public void Informational_and_out_of_range_statuses_are_refused_at_start_response(int status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResponseHead().Start(status, []));
    }

    private static Body Make(Shape shape) => shape switch
    {
        Shape.Empty => Body.Empty,
        Shape.Buffer5 => Body.Of("hello"u8.ToArray()),
        Shape.Stream5 => Body.Of(new MemoryStream(new byte[5]), 5),
        Shape.StreamUnknown => Body.Of(new MemoryStream(new byte[5])),
        _ => Body.Of(Chunks()),
    };

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        await Task.Yield();
        yield return new byte[3];
    }
}
