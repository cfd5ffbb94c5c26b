using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace HostKit.Conformance.Support;

/// <summary>
/// A websocket client that writes and reads frames by hand, for what ClientWebSocket hides:
/// sending pings, seeing pongs, and a peer that never answers pings. Test code only.
/// </summary>
public sealed class RawWebSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawWebSocketClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>The 101 response's head, as received.</summary>
    public string ResponseHead { get; private set; } = string.Empty;

    /// <summary>Opens a websocket; <paramref name="extraHeaders"/> go into the handshake, and <paramref name="firstFrame"/>, when given, goes in the same write as the handshake.</summary>
    /// <param name="server">The server's address.</param>
    /// <param name="path">The request target of the upgrade.</param>
    /// <param name="extraHeaders">Header lines, each ending in CRLF.</param>
    /// <param name="firstFrame">Bytes sent right after the handshake, in the same write.</param>
    /// <param name="receiveBufferBytes">When given, the socket's receive buffer (SO_RCVBUF, set before connecting): a small one makes a client that does not read fill up soon.</param>
    public static async Task<RawWebSocketClient> ConnectAsync(Uri server, string path, string extraHeaders = "", byte[]? firstFrame = null, int? receiveBufferBytes = null)
    {
        var client = new TcpClient { NoDelay = true };
        if (receiveBufferBytes is { } size)
            client.ReceiveBufferSize = size;
        await client.ConnectAsync(server.Host, server.Port).WaitAsync(Timeout);
        var raw = new RawWebSocketClient(client);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {path} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n";
        byte[] bytes = [.. Encoding.ASCII.GetBytes(request), .. firstFrame ?? []];
        await raw._stream.WriteAsync(bytes);
        // Read the 101 head byte by byte so no frame bytes are consumed with it.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await raw._stream.ReadAsync(one).AsTask().WaitAsync(Timeout) == 0)
                throw new IOException("The server closed during the handshake: " + head);
            head.Append((char)one[0]);
        }
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            throw new IOException("The upgrade was refused: " + head);
        raw.ResponseHead = head.ToString();
        return raw;
    }

    /// <summary>Sends one masked frame (as a client must).</summary>
    public async Task SendFrameAsync(byte opcode, byte[] payload, bool fin = true, bool compressed = false) =>
        await _stream.WriteAsync(Frame(opcode, payload, fin, compressed)).AsTask().WaitAsync(Timeout);

    /// <summary>Sends bytes as they are: hand-made headers, partial frames, frames that break the protocol.</summary>
    public async Task SendBytesAsync(byte[] bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(Timeout);

    /// <summary>A frame header alone, declaring <paramref name="length"/> payload bytes (64-bit length form), masked unless told otherwise.</summary>
    public static byte[] Header(byte firstByte, ulong length, bool masked = true)
    {
        var header = new byte[masked ? 14 : 10];
        header[0] = firstByte;
        header[1] = (byte)((masked ? 0x80 : 0) | 127);
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), length);
        if (masked)
            RandomNumberGenerator.Fill(header.AsSpan(10));
        return header;
    }

    /// <summary>Reads frames until the server's close frame and returns its code (null for a close without one); throws when the connection ends first.</summary>
    public async Task<int?> ReadCloseCodeAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var (_, opcode, payload) = await ReadFrameAsync(timeout);
            if (opcode == 0x8)
                return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
        }
    }

    /// <summary>One masked frame's bytes; <paramref name="compressed"/> sets RSV1, which marks a permessage-deflate message's first frame.</summary>
    public static byte[] Frame(byte opcode, byte[] payload, bool fin = true, bool compressed = false)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (compressed ? 0x40 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        var masked = new byte[payload.Length];
        for (var i = 0; i < payload.Length; i++)
            masked[i] = (byte)(payload[i] ^ mask[i % 4]);
        return [.. header, .. masked];
    }

    /// <summary>Reads one frame from the server: (fin, opcode, payload).</summary>
    public async Task<(bool Fin, byte Opcode, byte[] Payload)> ReadFrameAsync(TimeSpan? timeout = null)
    {
        var head = await ReadExactlyAsync(2, timeout);
        var fin = (head[0] & 0x80) != 0;
        var opcode = (byte)(head[0] & 0x0F);
        long length = head[1] & 0x7F;
        if (length == 126)
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2, timeout));
        else if (length == 127)
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8, timeout));
        return (fin, opcode, await ReadExactlyAsync((int)length, timeout));
    }

    /// <summary>True when the server drops the TCP connection within <paramref name="within"/>.</summary>
    public async Task<bool> WaitForDisconnectAsync(TimeSpan within)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(within);
        try
        {
            while (await _stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads everything the server sent until it drops the connection (EOF or reset) and splits it into frames:
    /// the whole frames, and whether bytes of a frame cut off by the drop were left over.
    /// </summary>
    /// <exception cref="TimeoutException">The connection was still open after <paramref name="within"/>.</exception>
    public async Task<(List<(byte Opcode, byte[] Payload)> Frames, bool CutOff)> ReadUntilDroppedAsync(TimeSpan within)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(within);
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, cts.Token)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // A reset: what arrived before it counts.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server had not dropped the connection after {within}.");
        }
        return SplitFrames(received.ToArray());
    }

    /// <summary>Server frames (unmasked) in <paramref name="bytes"/>, and whether a cut-off frame is left at the end.</summary>
    private static (List<(byte Opcode, byte[] Payload)> Frames, bool CutOff) SplitFrames(byte[] bytes)
    {
        var frames = new List<(byte Opcode, byte[] Payload)>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 2)
                return (frames, true);
            var opcode = (byte)(bytes[at] & 0x0F);
            long length = bytes[at + 1] & 0x7F;
            var header = 2;
            if (length == 126 && bytes.Length - at >= 4)
                (length, header) = (BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2)), 4);
            else if (length == 127 && bytes.Length - at >= 10)
                (length, header) = ((long)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(at + 2)), 10);
            else if (length >= 126)
                return (frames, true);
            if (bytes.Length - at - header < length)
                return (frames, true);
            frames.Add((opcode, bytes.AsSpan(at + header, (int)length).ToArray()));
            at += header + (int)length;
        }
        return (frames, false);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<byte[]> ReadExactlyAsync(int count, TimeSpan? timeout)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(timeout ?? Timeout);
        return buffer;
    }
}
