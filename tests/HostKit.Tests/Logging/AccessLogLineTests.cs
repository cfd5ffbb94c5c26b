using System.Text.Json;
using HostKit.Hosts;
using HostKit.Tests.Chat;

namespace HostKit.Tests.Logging;

public sealed class AccessLogLineTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 7, 0, 17, 28, 123, TimeSpan.Zero);

    [Fact]
    public void A_combined_line_is_apaches_combined_log_format_then_the_duration_in_seconds()
    {
        var environ = new FakeEnviron("room=a", ("Referer", "http://ref.example/"), ("User-Agent", "curl/8.5.0"));
        Assert.Equal("127.0.0.1 - - [07/Dec/2026:00:17:28 +0000] \"GET /ws/chat?room=a HTTP/1.1\" 200 13 \"http://ref.example/\" \"curl/8.5.0\" 0.001500",
            AccessLog.CombinedLine(AccessLogRequest.From(environ), 200, 13, TimeSpan.FromMilliseconds(1.5), Started));
    }

    [Fact]
    public void Quotes_backslashes_and_control_characters_cannot_forge_a_field_or_a_line()
    {
        var environ = new FakeEnviron("", ("User-Agent", "a\" 200 \"x\\\r\nforged é"));
        var line = AccessLog.CombinedLine(AccessLogRequest.From(environ), 101, -1, TimeSpan.Zero, Started);
        Assert.EndsWith("\"GET /ws/chat HTTP/1.1\" 101 - \"-\" \"a\\x22 200 \\x22x\\x5C\\x0D\\x0Aforged \\xE9\" 0.000000", line);
    }

    [Fact]
    public void A_json_line_has_every_field_and_null_for_an_unknown_length()
    {
        var environ = new FakeEnviron("", ("User-Agent", "a\"b"));
        using var line = JsonDocument.Parse(AccessLog.JsonLine(AccessLogRequest.From(environ), 101, -1, TimeSpan.FromMilliseconds(2), Started));
        var root = line.RootElement;
        Assert.Equal("2026-12-07T00:17:28.123000Z", root.GetProperty("time").GetString());
        Assert.Equal(("127.0.0.1", "GET", "/ws/chat", "HTTP/1.1", 101), (root.GetProperty("remote_addr").GetString(), root.GetProperty("method").GetString(),
            root.GetProperty("target").GetString(), root.GetProperty("protocol").GetString(), root.GetProperty("status").GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("referer").ValueKind);
        Assert.Equal("a\"b", root.GetProperty("user_agent").GetString());
        Assert.Equal(0.002, root.GetProperty("duration_s").GetDouble());
        Assert.True(root.GetProperty("websocket").GetBoolean());
    }
}
