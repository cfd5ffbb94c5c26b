using System.Buffers;

namespace HostKit.Benchmarks.Http;

/// <summary>The request heads the HTTP benchmarks parse: wrk's plaintext request, and a browser's with eight headers.</summary>
internal static class Requests
{
    public const string PlaintextText = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n";

    public const string BrowserText =
        "GET /json?x=1 HTTP/1.1\r\nHost: localhost:8000\r\nConnection: keep-alive\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\nCookie: session=abcdef0123456789\r\n\r\n";

    public static readonly ReadOnlySequence<byte> Plaintext = new(System.Text.Encoding.ASCII.GetBytes(PlaintextText));

    public static readonly ReadOnlySequence<byte> Browser = new(System.Text.Encoding.ASCII.GetBytes(BrowserText));

    /// <summary>The browser request's headers as (name, value), for the hosts that are handed them already parsed.</summary>
    public static readonly KeyValuePair<string, string>[] BrowserHeaders =
    [
        .. BrowserText.Split("\r\n").Skip(1).TakeWhile(l => l.Length > 0)
            .Select(l => KeyValuePair.Create(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim())),
    ];
}
