using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>What a host can do; the runner refuses to start an application that needs more.</summary>
[Flags]
public enum HostCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Plain HTTP/1.1 requests and responses.</summary>
    Http = 1,

    /// <summary>Websocket upgrades.</summary>
    WebSockets = 2,

    /// <summary>Websocket subprotocol negotiation (<c>Sec-WebSocket-Protocol</c>).</summary>
    WebSocketSubProtocols = 4,

    /// <summary>Detects a websocket peer that stops answering pings within <see cref="WebSocketOptions.KeepAliveTimeout"/>.</summary>
    WebSocketKeepAliveTimeout = 8,

    /// <summary>Enforces the size limits of <see cref="HttpLimits"/>: request line (414), header bytes and count (431), body (413).</summary>
    RequestLimits = 16,

    /// <summary>Serves https.</summary>
    Tls = 32,

    /// <summary>Listens on real sockets (false for the in-memory test host).</summary>
    Network = 64,

    /// <summary>
    /// Can cut a response short so the client sees it is incomplete, when the application fails after
    /// the response started (a TCP reset, or a chunked body left unterminated).
    /// </summary>
    AbortsFailedResponses = 128,

    /// <summary>
    /// Keeps what a client sends ahead of an answer: pipelined HTTP/1.1 requests (several sent before the
    /// first answer) are answered in order, and a websocket frame sent in the same write as its handshake is read.
    /// </summary>
    HttpPipelining = 256,

    /// <summary>Signals <see cref="Environ.RequestAborted"/> when the client goes away while the application runs (not only when the server stops).</summary>
    SignalsClientDisconnect = 512,

    /// <summary>
    /// Refuses every malformed or ambiguous request itself, before the application (RFC 9112: bad
    /// <c>Host</c>, smuggling shapes, malformed framing), and answers a bad request body with the host
    /// kit's status and text (<see cref="RequestRejections"/>). A host without it leaves some of that to
    /// an engine that answers in its own way, or not at all: put it behind a reverse proxy on an untrusted network.
    /// </summary>
    StrictRequestParsing = 1024,

    /// <summary>Enforces the timeouts of <see cref="HttpLimits"/>: a client slow with its headers gets 408 and is cut off (slowloris); an idle keep-alive connection is closed.</summary>
    RequestTimeouts = 2048,

    /// <summary>Enforces <see cref="HostRuntime.ConnectionLimit"/> (503 and close at once; by default below the descriptor limit), and reports its connections to <see cref="HostMetrics"/>.</summary>
    ConnectionLimit = 4096,

    /// <summary>
    /// Several processes can listen on one address (<see cref="ServerOptions.ReusePort"/>, SO_REUSEPORT on Linux), as the
    /// runner's <c>--workers</c> needs; the kernel spreads the connections over them.
    /// </summary>
    SharedPort = 8192,

    /// <summary>
    /// Reads each websocket frame header as it arrives (the host frames the connection itself): a message whose headers declare
    /// more than the limit is closed with 1009 before any of its payload is read. A host without it applies the limit as the bytes
    /// arrive, and a header alone is caught by <see cref="WebSocketOptions.MessageTimeout"/>.
    /// </summary>
    WebSocketFrameHeaderLimits = 16384,

    /// <summary>Negotiates <c>permessage-deflate</c> (<see cref="WebSocketOptions.Compression"/>) through the host kit's handshake.</summary>
    WebSocketCompression = 32768,

    /// <summary>
    /// Serves HTTP/2 when <see cref="ServerOptions.Http2"/> asks: h2c by prior knowledge on <c>http://</c> addresses, <c>h2</c> by ALPN on
    /// <c>https://</c> ones, with <see cref="Environ.ServerProtocol"/> <c>HTTP/2</c>, and websockets over HTTP/2 (RFC 8441 extended CONNECT).
    /// </summary>
    Http2 = 65536,

    /// <summary>
    /// Listens on unix domain sockets: <c>unix:PATH</c> addresses in <see cref="ServerOptions.Urls"/> (the runner's <c>--uds</c>),
    /// with the host kit's rules for the socket file (<see cref="UnixSocketFile"/>: a stale file replaced, a live one refused,
    /// removed at stop), and the request as <see cref="UnixSocketPeer"/> says the application sees it.
    /// </summary>
    UnixSockets = 131072,

    /// <summary>
    /// Keeps every line of a repeated header: field lines of one name, apart in the request and each perhaps a list
    /// itself, reach the application as one value, joined in order with <c>", "</c> (RFC 9110 section 5.3), the same
    /// through <see cref="Environ.GetHeader"/>, its CGI variable and <see cref="Environ.Headers"/>. A host without it
    /// gives the last line of a name only: its engine sets each line over the one before (HttpListener's managed parser),
    /// so the first are gone before the adapter sees the request.
    /// </summary>
    RepeatedHeaderLines = 262144,
}
