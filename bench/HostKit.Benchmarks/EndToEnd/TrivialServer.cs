using System.Net;
using System.Net.Sockets;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// A server that allocates nothing per request or message: one background thread, blocking socket calls into
/// fixed buffers, a canned plaintext answer, and an echo of websocket frames after a canned 101. The client
/// measured against it shows what the client alone allocates, which the other rows then include too.
/// One connection at a time, which is all the benchmarks open.
/// </summary>
internal sealed class TrivialServer : IDisposable
{
    // The size of the Raw host's answer to the Demo's /plaintext (a Date of RFC 1123's fixed length).
    private static readonly byte[] Plaintext =
        "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!"u8.ToArray();

    private static readonly byte[] SwitchingProtocols =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly byte[] _input = new byte[64 * 1024];
    private readonly byte[] _output = new byte[64 * 1024];
    private volatile Socket? _connection;

    private TrivialServer(Socket listener)
    {
        _listener = listener;
        Address = new Uri($"http://{listener.LocalEndPoint}/");
        new Thread(Serve) { IsBackground = true, Name = "trivial server" }.Start();
    }

    public Uri Address { get; }

    public static TrivialServer Start(IPEndPoint endpoint)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(endpoint);
        listener.Listen(16);
        return new TrivialServer(listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _connection?.Dispose();
    }

    private void Serve()
    {
        try
        {
            while (true)
            {
                using var connection = _listener.Accept();
                connection.NoDelay = true;
                _connection = connection;
                try
                {
                    ServeConnection(connection);
                }
                catch (SocketException)
                {
                    // The client left: take the next one.
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed: the benchmark is over.
        }
    }

    private void ServeConnection(Socket connection)
    {
        while (ReadHead(connection) is var head and > 0)
        {
            if (_input.AsSpan(0, head).IndexOf("websocket"u8) >= 0)
            {
                connection.Send(SwitchingProtocols);
                Echo(connection);
                return;
            }
            connection.Send(Plaintext);
        }
    }

    /// <summary>Reads one request head (the client sends one at a time); its length, or 0 when the client closed.</summary>
    private int ReadHead(Socket connection)
    {
        var length = 0;
        while (length < 4 || !_input.AsSpan(length - 4, 4).SequenceEqual("\r\n\r\n"u8))
        {
            var read = connection.Receive(_input.AsSpan(length));
            if (read == 0)
                return 0;
            length += read;
        }
        return length;
    }

    /// <summary>Every masked client frame back unmasked, same opcode; a close frame ends it.</summary>
    private void Echo(Socket connection)
    {
        Span<byte> mask = stackalloc byte[4];
        while (true)
        {
            if (!ReadExactly(connection, 2))
                return;
            var opcode = _input[0];
            var length = _input[1] & 0x7F;
            var extended = length == 126 ? 2 : 0;
            if (!ReadExactly(connection, extended + 4))
                return;
            if (extended == 2)
                length = _input[0] << 8 | _input[1];
            _input.AsSpan(extended, 4).CopyTo(mask);
            if (!ReadExactly(connection, length))
                return;
            var header = 0;
            _output[header++] = opcode;
            if (length < 126)
            {
                _output[header++] = (byte)length;
            }
            else
            {
                _output[header++] = 126;
                _output[header++] = (byte)(length >> 8);
                _output[header++] = (byte)length;
            }
            for (var i = 0; i < length; i++)
                _output[header + i] = (byte)(_input[i] ^ mask[i & 3]);
            connection.Send(_output.AsSpan(0, header + length));
            if ((opcode & 0x0F) == 0x8)
                return;
        }
    }

    private bool ReadExactly(Socket connection, int count)
    {
        var read = 0;
        while (read < count)
        {
            var n = connection.Receive(_input.AsSpan(read, count - read));
            if (n == 0)
                return false;
            read += n;
        }
        return true;
    }
}
