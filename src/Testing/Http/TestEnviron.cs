using HostKit.Hosts;

namespace HostKit.Testing.Http;

/// <summary>A request made in memory: every CGI field filled as a socket host would.</summary>
internal sealed class TestEnviron : Environ
{
    private readonly List<KeyValuePair<string, string>> _headers;

    /// <param name="method">The method.</param>
    /// <param name="uri">Where the request goes: the host and port it names.</param>
    /// <param name="target">The target as the client wrote it: PATH_INFO and QUERY_STRING come from it unnormalised, as on a socket host.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The request body.</param>
    /// <param name="contentLength">The declared length, or null.</param>
    /// <param name="upgrade">The websocket upgrade offered, or null.</param>
    /// <param name="aborted">The request's abort signal.</param>
    public TestEnviron(string method, Uri uri, string target, IEnumerable<KeyValuePair<string, string>> headers, Stream body, long? contentLength, WebSocketUpgrade? upgrade, CancellationToken aborted)
    {
        RequestMethod = method;
        (PathInfo, QueryString) = RequestTarget.Split(target);
        ServerName = uri.Host;
        ServerPort = uri.Port;
        UrlScheme = uri.Scheme;
        _headers = [.. headers];
        if (!_headers.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            _headers.Add(KeyValuePair.Create("Host", uri.Authority));
        Body = body;
        ContentLength = contentLength;
        WebSocket = upgrade;
        RequestAborted = aborted;
    }

    public override string RequestMethod { get; }

    public override string PathInfo { get; }

    public override string QueryString { get; }

    public override long? ContentLength { get; }

    public override string ServerName { get; }

    public override int ServerPort { get; }

    public override string ServerProtocol => "HTTP/1.1";

    public override string ServerSoftware => InMemoryHost.HostName;

    public override string RemoteAddress => "127.0.0.1";

    public override int RemotePort => 50000;

    public override string UrlScheme { get; }

    public override Stream Body { get; }

    public override CancellationToken RequestAborted { get; }

    public override WebSocketUpgrade? WebSocket { get; }

    public override IEnumerable<KeyValuePair<string, string>> Headers =>
        _headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(g => KeyValuePair.Create(g.Key, string.Join(", ", g.Select(h => h.Value))));

    public override string? GetHeader(string name)
    {
        var values = _headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
