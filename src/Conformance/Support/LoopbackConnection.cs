using System.Net.Sockets;
using System.Text;

namespace HostKit.Conformance.Support;

/// <summary>
/// A raw TCP connection to a server under test, for what HttpClient will not do: pipelining,
/// malformed requests, counting requests on one connection. Reads HTTP/1.1 responses by hand.
/// </summary>
public sealed class LoopbackConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private LoopbackConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<LoopbackConnection> OpenAsync(Uri address)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(address.Host, address.Port).WaitAsync(Timeout);
        return new LoopbackConnection(client);
    }

    public NetworkStream Stream => _stream;

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(Timeout);

    /// <summary>Reads one response: status line, headers, and a Content-Length, chunked, or (when <paramref name="readToEnd"/>) close-delimited body.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false, bool readToEnd = false)
    {
        var response = await ReadHeadAsync();
        if (headRequest || response.Status is 204 or 304 or (>= 100 and < 200))
            return response;
        if (response.Header("Content-Length") is { } length)
            return response with { Body = await ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)) };
        if (response.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = new MemoryStream();
            while (await ReadChunkAsync() is { } chunk)
                body.Write(chunk);
            return response with { Body = body.ToArray() };
        }
        return readToEnd ? response with { Body = await ReadToEndAsync() } : response;
    }

    /// <summary>True when the server closed the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? within = null)
    {
        try
        {
            using var cts = new CancellationTokenSource(within ?? Timeout);
            while (true)
            {
                if (_start < _end)
                {
                    _start = _end;
                    continue;
                }
                var read = await _stream.ReadAsync(_buffer, cts.Token);
                if (read == 0)
                    return true;
            }
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

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    private async Task<byte[]> ReadToEndAsync()
    {
        var body = new MemoryStream();
        body.Write(_buffer, _start, _end - _start);
        _start = _end;
        await _stream.CopyToAsync(body).WaitAsync(Timeout);
        return body.ToArray();
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync())
                throw new IOException($"The connection closed after {filled} of {count} body bytes.");
            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }
        return result;
    }

    /// <summary>Reads the status line and headers of a response, leaving its body unread.</summary>
    public async Task<RawResponse> ReadHeadAsync()
    {
        var statusLine = await ReadLineAsync() ?? throw new IOException("The connection closed before a response.");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out _))
            throw new InvalidDataException($"Not a status line: '{statusLine}'");
        var headers = new List<KeyValuePair<string, string>>();
        string? line;
        while (!string.IsNullOrEmpty(line = await ReadLineAsync()))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return new RawResponse(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), headers, []);
    }

    /// <summary>Reads one chunk of a chunked body: its payload, or null at the last chunk (trailers read too).</summary>
    public async Task<byte[]?> ReadChunkAsync()
    {
        var sizeLine = await ReadLineAsync() ?? throw new IOException("The connection closed in the middle of a chunked body.");
        var size = Convert.ToInt32(sizeLine.Split(';')[0], 16);
        if (size == 0)
        {
            while (!string.IsNullOrEmpty(await ReadLineAsync()))
            {
            }
            return null;
        }
        var payload = await ReadExactlyAsync(size);
        await ReadLineAsync();
        return payload;
    }

    /// <summary>Everything the server sends until it closes the connection.</summary>
    public Task<byte[]> ReadUntilClosedAsync() => ReadToEndAsync();

    /// <summary>
    /// Everything the server sends until it closes the connection, as text; a reset (as after a refusal) ends it as
    /// a close does. When the server does not close in time, the failure says what it had sent.
    /// </summary>
    public async Task<string> ReadTextUntilClosedAsync()
    {
        var received = new MemoryStream();
        received.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(_buffer, timeout.Token)) > 0)
                received.Write(_buffer, 0, read);
        }
        catch (IOException ex) when (ex.InnerException is SocketException)
        {
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server did not close the connection within {Timeout.TotalSeconds} s; it sent:\n{Encoding.ASCII.GetString(received.ToArray())}");
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }

    /// <summary>Sends <paramref name="request"/> in one write on a new connection to <paramref name="address"/>; returns <see cref="ReadTextUntilClosedAsync"/>.</summary>
    public static async Task<string> ExchangeAsync(Uri address, string request)
    {
        await using var connection = await OpenAsync(address);
        await connection.SendAsync(request);
        return await connection.ReadTextUntilClosedAsync();
    }

    /// <summary>How many responses <paramref name="answer"/> (raw text) holds, by their status lines.</summary>
    public static int CountStatusLines(string answer) =>
        answer.Split("\r\n").Count(line => line.StartsWith("HTTP/1.", StringComparison.Ordinal));

    /// <summary>Half-closes: the client sends nothing more, and may still read.</summary>
    public void ShutdownSend() => _client.Client.Shutdown(SocketShutdown.Send);

    private async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync())
                return line.Length == 0 ? null : line.ToString();
            var b = _buffer[_start++];
            if (b == '\n')
                return line.ToString().TrimEnd('\r');
            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync()
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer).AsTask().WaitAsync(Timeout);
        return _end > 0;
    }
}

public sealed record RawResponse(string Version, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string Text => Encoding.UTF8.GetString(Body);
}
