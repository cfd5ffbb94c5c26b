using System.Net;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// The <see cref="Environ"/> of a host that parses HTTP/1.1 itself with <see cref="Http1Protocol"/>:
/// one per connection, pointed at each request's <see cref="RequestHead"/> in turn, making strings
/// only for what the application asks for.
/// </summary>
public sealed class Http1Environ : Environ
{
    private readonly RequestHead _head;
    private readonly EndPoint _local;
    private readonly EndPoint _remote;
    private Stream _body;
    private readonly string _serverSoftware;
    private string? _remoteAddress;
    private CancellationToken _aborted;
    private string? _pathInfo;
    private string? _queryString;
    private WebSocketUpgrade? _upgrade;

    /// <summary>Creates the environ of one connection.</summary>
    /// <param name="head">The connection's request head (<see cref="Http1Protocol.Head"/>).</param>
    /// <param name="serverSoftware">The host's name, for <c>SERVER_SOFTWARE</c>.</param>
    /// <param name="local">The local end of the connection: an <see cref="IPEndPoint"/>, or a unix socket's (<see cref="UnixSocketPeer"/>).</param>
    /// <param name="remote">The peer's end of the connection.</param>
    /// <param name="body">The request body stream, usually an <see cref="Http1RequestBody"/>.</param>
    public Http1Environ(RequestHead head, string serverSoftware, EndPoint local, EndPoint remote, Stream body)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        _head = head;
        _serverSoftware = serverSoftware;
        _local = local;
        _remote = remote;
        _body = body;
    }

    /// <summary>Points the environ at the request just parsed.</summary>
    /// <param name="upgrade">The websocket upgrade it offers, or null.</param>
    /// <param name="aborted">Signalled when the client goes away or the host aborts the request.</param>
    public void Begin(WebSocketUpgrade? upgrade, CancellationToken aborted)
    {
        ResetForNextRequest();
        _upgrade = upgrade;
        _aborted = aborted;
        _pathInfo = _queryString = null;
    }

    /// <summary>
    /// Lets go of the connection once it switched to a websocket, for a host that carries the websocket on without
    /// its HTTP state: the head stays readable (trimmed to its size), and the body reads as empty (there is none
    /// after a 101), so the environ the application holds for the websocket's life no longer keeps the
    /// connection's pipes and parser alive. The environ serves no further request.
    /// </summary>
    public void SwitchedProtocols()
    {
        _body = Stream.Null;
        _head.Compact();
    }

    /// <inheritdoc />
    public override string RequestMethod => _head.Method;

    /// <inheritdoc />
    public override string PathInfo => _pathInfo ??= Split().Path;

    /// <inheritdoc />
    public override string QueryString => _queryString ??= Split().Query;

    /// <inheritdoc />
    public override long? ContentLength => _head.IsChunked ? null : _head.ContentLength;

    /// <inheritdoc />
    public override string ServerName => RequestTarget.ServerName(_head.Target, _head.GetHeader("Host"), _local is IPEndPoint ip ? ip.Address.ToString() : UnixSocketPeer.ServerName);

    /// <inheritdoc />
    public override int ServerPort => _local is IPEndPoint ip ? ip.Port : UnixSocketPeer.ServerPort(_head.Target, _head.GetHeader("Host"), UrlScheme);

    /// <inheritdoc />
    public override string ServerProtocol => _head.Version == HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";

    /// <inheritdoc />
    public override string ServerSoftware => _serverSoftware;

    /// <inheritdoc />
    public override string RemoteAddress => _remoteAddress ??= _remote is IPEndPoint ip ? Protocol.RemoteAddress.Text(ip.Address) : UnixSocketPeer.RemoteAddress;

    /// <inheritdoc />
    public override int RemotePort => _remote is IPEndPoint ip ? ip.Port : UnixSocketPeer.RemotePort;

    /// <summary>True when the connection is TLS (<see cref="TlsHandshake"/>): <see cref="UrlScheme"/> is then <c>https</c>.</summary>
    public bool IsTls { get; init; }

    /// <inheritdoc />
    public override string UrlScheme => IsTls ? "https" : "http";

    /// <inheritdoc />
    public override Stream Body => _body;

    /// <inheritdoc />
    public override CancellationToken RequestAborted => _aborted;

    /// <inheritdoc />
    public override WebSocketUpgrade? WebSocket => _upgrade;

    /// <inheritdoc />
    public override string? GetHeader(string name) => _head.GetHeader(name);

    /// <inheritdoc />
    public override IEnumerable<KeyValuePair<string, string>> Headers => _head.Headers();

    private (string Path, string Query) Split()
    {
        (_pathInfo, _queryString) = RequestTarget.Split(_head.Target);
        return (_pathInfo, _queryString);
    }
}
