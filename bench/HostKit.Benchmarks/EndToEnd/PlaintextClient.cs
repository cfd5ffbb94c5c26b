using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// A keep-alive HTTP/1.1 client that allocates nothing per request: a socket used with blocking calls only (an
/// asynchronous call would switch it to the runtime's emulated blocking, which allocates), one pre-built request,
/// and each answer read into a fixed buffer, its head parsed in place for its <c>Content-Length</c>. An answer
/// that says <c>Connection: close</c> (HttpListener's after every 100 reuses of a connection) is followed by a new
/// connection, which allocates a socket on the client's side: about 5 B per request on that host alone.
/// </summary>
internal sealed class PlaintextClient : IDisposable
{
    private readonly IPEndPoint _server;
    private readonly byte[] _request;
    private readonly byte[] _response = new byte[4096];
    private Socket _socket;

    private PlaintextClient(IPEndPoint server, byte[] request)
    {
        _server = server;
        _request = request;
        _socket = Open(server);
    }

    public static PlaintextClient Connect(Uri server, string path = "/plaintext")
    {
        // wrk's request, with the Host that HttpListener routes on.
        var request = System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n");
        var client = new PlaintextClient(new IPEndPoint(IPAddress.Parse(server.Host), server.Port), request);
        client.Request();
        return client;
    }

    /// <summary>One request and its whole answer; returns the answer's size.</summary>
    public int Request()
    {
        _socket.Send(_request);
        var read = 0;
        int headEnd;
        while ((headEnd = _response.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0)
            read += Receive(read, _response.Length - read);
        var head = _response.AsSpan(0, headEnd);
        var field = head.IndexOf("Content-Length: "u8);
        if (!head.StartsWith("HTTP/1.1 200"u8) || field < 0 || !Utf8Parser.TryParse(head[(field + 16)..], out int bodyBytes, out _))
            throw new IOException($"Not the answer the benchmark expects: {System.Text.Encoding.ASCII.GetString(head)}");
        var total = headEnd + 4 + bodyBytes;
        while (read < total)
            read += Receive(read, total - read);
        if (head.IndexOf("Connection: close"u8) >= 0)
        {
            _socket.Dispose();
            _socket = Open(_server);
        }
        return read;
    }

    public void Dispose() => _socket.Dispose();

    private int Receive(int offset, int count)
    {
        var n = _socket.Receive(_response.AsSpan(offset, count));
        return n > 0 ? n : throw new IOException("The server closed the connection.");
    }

    private static Socket Open(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server);
        return socket;
    }
}
