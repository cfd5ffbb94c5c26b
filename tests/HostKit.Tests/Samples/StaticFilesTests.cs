using System.Net;
using HostKit.Conformance;
using HostKit.Conformance.Support;
using HostKit.Hosts;
using HostKit.Samples.FlaskChat;

namespace HostKit.Tests.Samples;

/// <summary>docs/coming-from-python.md's static files (samples/FlaskChat/StaticFiles.cs), on every host that serves HTTP.</summary>
public sealed class StaticFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hostkit-static-").FullName;

    public StaticFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "site", "css"));
        File.WriteAllText(Path.Combine(_root, "site", "index.html"), "<h1>chat</h1>");
        File.WriteAllText(Path.Combine(_root, "site", "css", "site.css"), "h1 { color: teal }");
        File.WriteAllText(Path.Combine(_root, "site", "notes.cs"), "// a type outside the table");
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "outside the folder");
    }

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Files_are_served_with_their_type_and_everything_else_goes_on_to_the_application(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, _ => StaticFiles.Create(Path.Combine(_root, "site"), NotFound));

        using var page = await server.Http.GetAsync("/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Equal("<h1>chat</h1>", await page.Content.ReadAsStringAsync());
        Assert.Equal("h1 { color: teal }", await server.Http.GetStringAsync("/css/site.css"));
        foreach (var other in (string[])["/", "/missing.html", "/notes.cs", "/css"])
        {
            using var response = await server.Http.GetAsync(other);
            Assert.Equal((HttpStatusCode.NotFound, "next"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        using var post = await server.Http.PostAsync("/index.html", new StringContent("x"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [HostTheory]
    [InlineData("raw")]
    [InlineData("kestrel")]
    public async Task A_path_that_climbs_out_of_the_folder_is_never_served(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, _ => StaticFiles.Create(Path.Combine(_root, "site"), NotFound));
        foreach (var target in (string[])["/../secret.txt", "/css/../../secret.txt", "/%2e%2e/secret.txt"])
        {
            // Sent as is: an HttpClient would resolve the dots before they left the client.
            var answer = await LoopbackConnection.ExchangeAsync(server.Address, $"GET {target} HTTP/1.1\r\nHost: {server.Address.Authority}\r\nConnection: close\r\n\r\n");
            Assert.DoesNotContain("outside the folder", answer, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 ", answer, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ValueTask<Body> NotFound(Environ environ, StartResponse start)
    {
        start(404, [("Content-Type", "text/plain")]);
        return Body.Of("next");
    }
}
