using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// Serializes what a <see cref="ResponsePlan"/> decided: the status line, <c>Date</c>, the application's
/// headers less the framing ones, the plan's framing headers, and chunk framing, straight into an
/// output buffer. Sans-I/O like the parser: it writes to an <see cref="IBufferWriter{T}"/>.
/// </summary>
public static class ResponseHeadWriter
{
    private static readonly byte[] ChunkedHeader = "Transfer-Encoding: chunked\r\n"u8.ToArray();
    private static readonly byte[] CloseHeader = "Connection: close\r\n"u8.ToArray();
    private static readonly byte[] KeepAliveHeader = "Connection: keep-alive\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    /// <summary>Writes the head of a response: <paramref name="status"/>, <paramref name="headers"/> (framing headers left out) and what <paramref name="plan"/> says.</summary>
    public static void Write(IBufferWriter<byte> output, int status, IReadOnlyList<(string Name, string Value)> headers, in ResponsePlan plan)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        output.Write(StatusLines.For(status));
        output.Write(HttpDate.HeaderLine);
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (!ResponsePlan.IsFramingHeader(name))
                WriteHeader(output, name, value);
        }
        if (plan.ContentLength is { } length)
        {
            output.Write("Content-Length: "u8);
            WriteNumber(output, length);
            output.Write("\r\n"u8);
        }
        if (plan.Framing == BodyFraming.Chunked)
            output.Write(ChunkedHeader);
        switch (plan.Connection)
        {
            case ConnectionHeader.Close:
                output.Write(CloseHeader);
                break;
            case ConnectionHeader.KeepAlive:
                output.Write(KeepAliveHeader);
                break;
        }
        output.Write("\r\n"u8);
    }

    /// <summary>Writes the whole answer to a refused request (<see cref="RequestRejections.Head"/>, <see cref="RequestRejections.Plan"/>, <see cref="RequestRejections.Body"/>), which closes the connection.</summary>
    public static void WriteRejection(IBufferWriter<byte> output, RequestRejection reason)
    {
        var head = RequestRejections.Head(reason);
        Write(output, head.Status, head.Headers, RequestRejections.Plan(reason));
        output.Write(RequestRejections.Body(reason).Span);
    }

    /// <summary>Writes <c>HTTP/1.1 100 Continue</c>, the interim answer to <c>Expect: 100-continue</c>.</summary>
    public static void WriteContinue(IBufferWriter<byte> output) => output.Write(ContinueResponse);

    /// <summary>Writes the size line of a chunk of <paramref name="length"/> bytes.</summary>
    public static void WriteChunkHeader(IBufferWriter<byte> output, int length)
    {
        var span = output.GetSpan(10);
        length.TryFormat(span, out var written, "X", System.Globalization.CultureInfo.InvariantCulture);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>Writes the CRLF that ends a chunk's data.</summary>
    public static void WriteChunkEnd(IBufferWriter<byte> output) => output.Write("\r\n"u8);

    /// <summary>Writes the last chunk, which ends a chunked body.</summary>
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
