using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace HostKit.Demo;

/// <summary>
/// <c>GET /</c>: the chat page. Its HTML, CSS and JS ship inside this assembly (wwwroot/, embedded) and are put
/// together once into one self-contained page, so the Demo needs no other route, CDN or build step.
/// </summary>
internal static class ChatPage
{
    private const string HostMarker = "{{host}}";

    private static readonly (string Html, string ContentSecurityPolicy) Template = Assemble();

    // One page per host name; a process serves one host, so this holds one entry in practice.
    private static readonly ConcurrentDictionary<string, byte[]> Pages = new(StringComparer.Ordinal);

    public static ValueTask<Body> Handle(Environ environ, StartResponse start)
    {
        var page = Pages.GetOrAdd(environ.ServerSoftware, static host =>
            Encoding.UTF8.GetBytes(Template.Html.Replace(HostMarker, WebUtility.HtmlEncode(host), StringComparison.Ordinal)));
        start(200, [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Security-Policy", Template.ContentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "no-cache"),
        ]);
        return Body.Of(page);
    }

    /// <summary>
    /// Inlines the CSS and JS, and allows exactly those two by hash: even if a message were ever rendered as HTML,
    /// an injected script or event handler would not run.
    /// </summary>
    private static (string, string) Assemble()
    {
        var css = Resource("chat.css");
        var js = Resource("chat.js");
        var html = Resource("index.html")
            .Replace("<style></style>", $"<style>{css}</style>", StringComparison.Ordinal)
            .Replace("<script></script>", $"<script>{js}</script>", StringComparison.Ordinal);
        var policy = $"default-src 'none'; script-src '{Hash(js)}'; style-src '{Hash(css)}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return (html, policy);

        static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Resource(string name)
    {
        using var stream = typeof(ChatPage).Assembly.GetManifestResourceStream("HostKit.Demo.wwwroot." + name)
            ?? throw new InvalidOperationException($"The Demo was built without its page file wwwroot/{name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
