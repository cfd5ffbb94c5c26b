namespace HostKit.Tests.Chat;

/// <summary>An upgrade request made by hand, for the chat's checks before the handshake (no host needed).</summary>
public sealed class FakeEnviron(string queryString, params (string Name, string Value)[] headers) : Environ
{
    public override string RequestMethod => "GET";

    public override string PathInfo => "/ws/chat";

    public override string QueryString => queryString;

    public override long? ContentLength => null;

    public override string ServerName => "127.0.0.1";

    public override int ServerPort => 8000;

    public override string ServerProtocol => "HTTP/1.1";

    public override string ServerSoftware => "fake";

    public override string RemoteAddress => "127.0.0.1";

    public override int RemotePort => 50000;

    public override string UrlScheme => "http";

    public override IEnumerable<KeyValuePair<string, string>> Headers => headers.Select(h => KeyValuePair.Create(h.Name, h.Value));

    public override Stream Body => Stream.Null;

    public override CancellationToken RequestAborted => CancellationToken.None;

    /// <summary>The websocket upgrade offered, or null.</summary>
    public WebSocketUpgrade? Offered { get; init; }

    public override WebSocketUpgrade? WebSocket => Offered;

    public override string? GetHeader(string name)
    {
        var values = headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }
}
