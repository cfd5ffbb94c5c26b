using System.Net;
using System.Net.Sockets;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// A websocket client that allocates nothing per message: the handshake once, then one pre-built masked binary
/// frame sent from its buffer and the server's unmasked echo read into a fixed buffer, with blocking socket
/// calls only (as <see cref="PlaintextClient"/>, and for the same reason).
/// </summary>
internal sealed class WebSocketEchoClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _frame;
    private readonly byte[] _echo;

    private WebSocketEchoClient(Socket socket, int payloadBytes)
    {
        _socket = socket;
        _frame = MaskedBinaryFrame(payloadBytes);
        _echo = new byte[payloadBytes + (payloadBytes < 126 ? 2 : 4)];
    }

    public static WebSocketEchoClient Connect(Uri server, int payloadBytes, string path = "/ws/echo")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(IPAddress.Parse(server.Host), server.Port);
        socket.Send(System.Text.Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        // Read the 101 byte by byte, so that no byte after it is taken from the websocket.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (socket.Receive(one) == 0)
                throw new IOException("The server closed the connection during the handshake.");
            head.Add(one[0]);
        }
        var text = System.Text.Encoding.ASCII.GetString([.. head]);
        if (!text.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            throw new IOException($"The websocket upgrade was refused: {text}");
        return new WebSocketEchoClient(socket, payloadBytes);
    }

    /// <summary>One message out and its echo back; returns the echo's frame size.</summary>
    public int Echo()
    {
        _socket.Send(_frame);
        var read = 0;
        while (read < _echo.Length)
        {
            var n = _socket.Receive(_echo.AsSpan(read));
            if (n == 0)
                throw new IOException("The server closed the websocket.");
            read += n;
        }
        if (_echo[0] != 0x82)
            throw new IOException($"Expected the binary echo, got a frame with first byte 0x{_echo[0]:X2}: the benchmark would measure the wrong thing.");
        return read;
    }

    public void Dispose()
    {
        try
        {
            // A close frame (masked, code 1000), so the server ends the websocket cleanly before the socket goes.
            _socket.Send([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xE8]);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
    }

    /// <summary>A binary frame of <paramref name="payloadBytes"/> as a client sends it: masked, with a key that is not zero so the server really unmasks.</summary>
    private static byte[] MaskedBinaryFrame(int payloadBytes)
    {
        byte[] mask = [0x37, 0xFA, 0x21, 0x3D];
        var header = new List<byte> { 0x82 };
        if (payloadBytes < 126)
        {
            header.Add((byte)(0x80 | payloadBytes));
        }
        else
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payloadBytes >> 8));
            header.Add((byte)payloadBytes);
        }
        header.AddRange(mask);
        for (var i = 0; i < payloadBytes; i++)
            header.Add((byte)((i & 0xFF) ^ mask[i & 3]));
        return [.. header];
    }
}
