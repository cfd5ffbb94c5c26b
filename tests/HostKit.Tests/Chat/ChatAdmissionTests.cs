using HostKit.Chat;

namespace HostKit.Tests.Chat;

/// <summary>What the chat decides before any websocket exists: origin (403), token (401), query (400), in that order.</summary>
public class ChatAdmissionTests
{
    private static async Task<(int Status, string Message)?> AdmitAsync(ChatOptions options, string query, params (string, string)[] headers)
    {
        await using var chat = new ChatServer(options);
        return await chat.AuthorizeAsync(new FakeEnviron(query, headers)) is { } refusal ? (refusal.Status, refusal.Message) : null;
    }

    [Theory]
    [InlineData("name=ann", "room must be")]
    [InlineData("room=&name=ann", "room must be")]
    [InlineData("room=a%20b&name=ann", "room must be")]
    [InlineData("room=caf%C3%A9&name=ann", "room must be")]
    [InlineData("room=a%0A&name=ann", "room must be")]
    [InlineData("room=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&name=ann", "room must be")] // 65
    [InlineData("room=lobby", "name must be")]
    [InlineData("room=lobby&name=", "name must be")]
    [InlineData("room=lobby&name=%20%20", "name must be")]
    [InlineData("room=lobby&name=a%0Ab", "name must be")]
    [InlineData("room=lobby&name=a%E2%80%AEb", "name must be")]            // U+202E, right-to-left override
    [InlineData("room=lobby&name=%FF", "name must be")]                  // not UTF-8
    [InlineData("room=lobby&name=123456789012345678901234567890123", "name must be")] // 33
    [InlineData("room=lobby&name=ann&after=-1", "after must be")]
    [InlineData("room=lobby&name=ann&after=x", "after must be")]
    [InlineData("room=lobby&name=ann&after=99999999999999999999", "after must be")]
    [InlineData("room=a&room=b&name=ann", "room is given more than once")]
    [InlineData("room=lobb%u0079&name=ann", "room must be")]            // %u is IIS's old extension, not URL encoding: not "lobby"
    [InlineData("room=lobby&name=%CC%81%CC%81", "name must be")]        // only combining marks (U+0301): shows as nothing
    [InlineData("room=lobby&name=%E2%83%9D", "name must be")]           // an enclosing mark alone (U+20DD)
    [InlineData("room=lobby&name=%E3%85%A4%E3%85%A4", "name must be")]  // Hangul fillers (U+3164), drawn blank
    [InlineData("room=lobby&name=%E2%A0%80", "name must be")]           // the blank Braille pattern (U+2800)
    [InlineData("room=lobby&name=%20%CC%81", "name must be")]           // a space and a mark
    public async Task A_malformed_query_is_400_with_the_reason(string query, string reason)
    {
        var refusal = await AdmitAsync(ChatOptions.Default, query);
        Assert.Equal(400, refusal?.Status);
        Assert.Contains(reason, refusal!.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("room=lobby&name=ann")]
    [InlineData("room=A-z_0-9&name=Ann%20Smith")]
    [InlineData("room=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&name=12345678901234567890123456789012")] // 64, 32
    [InlineData("room=lobby&name=%F0%9F%98%80%20Zo%C3%AB&after=0")]        // an emoji counts as one character
    [InlineData("room=lobby&name=ann&after=12")]
    [InlineData("room=lobby&name=e%CC%81")]                                // e and a combining acute accent: shows as é
    [InlineData("room=lobby&name=%u0041")]                                 // taken as written: the name is "%u0041"
    [InlineData("room=lobby&name=Ann+Smith")]                              // + is a space, as in a form
    public async Task A_wellformed_query_is_admitted(string query) =>
        Assert.Null(await AdmitAsync(ChatOptions.Default, query));

    [Theory]
    [InlineData(null, 401)]
    [InlineData("wrong", 401)]
    [InlineData("s3cret", null)]
    [InlineData("next-one", null)]
    public async Task With_tokens_configured_a_missing_or_wrong_one_is_401_even_to_resume(string? token, int? status)
    {
        var options = ChatOptions.Default with { Token = "s3cret", Tokens = ["next-one"] };
        var query = "room=lobby&name=ann&after=5" + (token is null ? "" : "&token=" + token);
        Assert.Equal(status, (await AdmitAsync(options, query))?.Status);
        // The token is checked before the query, so a stranger learns nothing about what else is wrong.
        Assert.Equal(status ?? 400, (await AdmitAsync(options, "room=bad%20room" + (token is null ? "" : "&token=" + token)))?.Status);
    }

    [Theory]
    [InlineData(null, "127.0.0.1:8000", null)]                          // not a browser
    [InlineData("http://127.0.0.1:8000", "127.0.0.1:8000", null)]        // the server's own page
    [InlineData("http://LOCALHOST:8000", "localhost:8000", null)]
    [InlineData("http://example.com", "example.com:80", null)]
    [InlineData("https://chat.example.com", "chat.example.com", null)]   // behind a TLS proxy
    [InlineData("http://127.0.0.1:8001", "127.0.0.1:8000", 403)]         // another port is another origin
    [InlineData("http://evil.example", "127.0.0.1:8000", 403)]
    [InlineData("null", "127.0.0.1:8000", 403)]                          // sandboxed or file: page
    [InlineData("http://evil.example", null, 403)]
    [InlineData("https://friend.example", "127.0.0.1:8000", null)]       // configured
    [InlineData("https://friend.example:444", "127.0.0.1:8000", 403)]
    public async Task A_foreign_origin_is_403(string? origin, string? host, int? status)
    {
        var options = ChatOptions.Default with { AllowedOrigins = ["https://Friend.example"] };
        var headers = new List<(string, string)>();
        if (origin is not null)
            headers.Add(("Origin", origin));
        if (host is not null)
            headers.Add(("Host", host));
        var refusal = await AdmitAsync(options, "room=lobby&name=ann", [.. headers]);
        Assert.Equal(status, refusal?.Status);
    }

    [Fact]
    public async Task A_star_allows_every_origin_and_origin_is_checked_first()
    {
        Assert.Null(await AdmitAsync(ChatOptions.Default with { AllowedOrigins = ["*"] }, "room=lobby&name=ann", ("Origin", "http://anywhere.example"), ("Host", "127.0.0.1:8000")));
        var refusal = await AdmitAsync(ChatOptions.Default with { Token = "t" }, "", ("Origin", "http://evil.example"), ("Host", "127.0.0.1:8000"));
        Assert.Equal(403, refusal?.Status);
    }
}
