using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace HostKit.Hosts.Raw.Http;

/// <summary>
/// Serializes responses: the status line, headers, and chunk framing, straight into the
/// connection's output buffer. Sans-I/O like the parser: it writes to an <see cref="IBufferWriter{T}"/>.
/// </summary>
internal static class ResponseWriter
{
    private static readonly byte[] ChunkedHeader = "Transfer-Encoding: chunked\r\n"u8.ToArray();
    private static readonly byte[] CloseHeader = "Connection: close\r\n"u8.ToArray();
    private static readonly byte[] KeepAliveHeader = "Connection: keep-alive\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    /// <summary>Writes the status line and headers, and the framing headers that follow from <paramref name="framing"/>.</summary>
    public static void WriteHead(IBufferWriter<byte> output, int status, IReadOnlyList<(string Name, string Value)> headers,
        ResponseFraming framing, long contentLength, bool keepAlive, HttpVersion version)
    {
        output.Write(StatusLines.For(status));
        output.Write(HttpDate.HeaderLine);
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            // Framing is this server's business: it follows from the body, whatever the app said.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                continue;
            WriteHeader(output, name, value);
        }
        switch (framing)
        {
            case ResponseFraming.ContentLength when status is not (204 or 304) && status >= 200:
                output.Write("Content-Length: "u8);
                WriteNumber(output, contentLength);
                output.Write("\r\n"u8);
                break;
            case ResponseFraming.Chunked:
                output.Write(ChunkedHeader);
                break;
        }
        if (!keepAlive)
            output.Write(CloseHeader);
        else if (version == HttpVersion.Http10)
            output.Write(KeepAliveHeader);
        output.Write("\r\n"u8);
    }

    /// <summary>Writes a short plain-text response that the server makes itself (errors), closing the connection.</summary>
    public static void WriteError(IBufferWriter<byte> output, HttpError error, IReadOnlyList<(string Name, string Value)>? extraHeaders = null)
    {
        var body = Encoding.UTF8.GetBytes($"{error.Status} {StatusLines.Reason(error.Status)}: {error.Reason}\n");
        IReadOnlyList<(string, string)> headers = [("Content-Type", "text/plain; charset=utf-8"), .. extraHeaders ?? []];
        WriteHead(output, error.Status, headers, ResponseFraming.ContentLength, body.Length, keepAlive: false, HttpVersion.Http11);
        output.Write(body);
    }

    public static void WriteChunkHeader(IBufferWriter<byte> output, int length)
    {
        var span = output.GetSpan(10);
        length.TryFormat(span, out var written, "X", System.Globalization.CultureInfo.InvariantCulture);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    public static void WriteChunkEnd(IBufferWriter<byte> output) => output.Write("\r\n"u8);

    public static void WriteLastChunk(IBufferWriter<byte> output) => output.Write(LastChunk);

    private static void WriteHeader(IBufferWriter<byte> output, string name, string value)
    {
        var span = output.GetSpan(name.Length + Encoding.UTF8.GetMaxByteCount(value.Length) + 4);
        var written = Encoding.ASCII.GetBytes(name, span);
        span[written++] = (byte)':';
        span[written++] = (byte)' ';
        written += Encoding.UTF8.GetBytes(value, span[written..]);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
