using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostKit.Hosts.Kestrel.Http2;

/// <summary>
/// h2c by prior knowledge (RFC 9113 section 3.3) on an endpoint that also serves HTTP/1.1: a connection whose first bytes
/// are the HTTP/2 client preface goes to Kestrel's HTTP/2-only <see cref="HandOffEndPoint"/>, any other stays on HTTP/1.1.
/// </summary>
/// <remarks>
/// Kestrel has no such endpoint of its own: on a cleartext endpoint that allows both it picks HTTP/1.1 unconditionally, for
/// want of ALPN (dotnet/aspnetcore#56984, open). Nothing is consumed here, so whichever protocol takes the connection reads
/// the same bytes.
/// </remarks>
internal sealed class H2cPriorKnowledge(HostRuntime runtime)
{
    private readonly HandOffListener _http2 = new();

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>True for the hand-off endpoint's entry in Kestrel's address list, which is no address a client can reach.</summary>
    public static bool IsHandOff(string address) => address.Contains(HandOffEndPoint.Name, StringComparison.Ordinal);

    /// <summary>Serves HTTP/1.1 and h2c on the cleartext endpoint <paramref name="listen"/>.</summary>
    public void Use(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(Sniff);
    }

    /// <summary>Adds the HTTP/2-only endpoint the connections with the preface are handed to.</summary>
    public void Serve(KestrelServerOptions kestrel) => kestrel.Listen(_http2.EndPoint, listen => listen.Protocols = HttpProtocols.Http2);

    /// <summary>The transport that binds the hand-off endpoint, and every other with <paramref name="sockets"/>.</summary>
    public IConnectionListenerFactory Transport(IConnectionListenerFactory sockets) => new HandOffTransportFactory(sockets);

    /// <summary>
    /// The connection middleware: HTTP/2 for a connection that opens with the preface, <paramref name="next"/> (HTTP/1.1) for
    /// any other. A client that sends part of the preface and no more within the head timeout is a slow head: the host kit's
    /// 408, and the connection closes (left to HTTP/1.1 it would wait on bytes already looked at, for the keep-alive timeout).
    /// </summary>
    private ConnectionDelegate Sniff(ConnectionDelegate next) => async connection =>
    {
        switch (await OpensWithPrefaceAsync(connection.Transport.Input))
        {
            case true:
                await _http2.HandOverAsync(connection);
                break;
            case false:
                await next(connection);
                break;
            default:
                await RefuseSlowPrefaceAsync(connection);
                break;
        }
    };

    /// <summary>
    /// Reads until the first bytes tell: a byte off the preface says HTTP/1.1 at once (an HTTP/1.1 request line differs in its
    /// first two bytes). Null: still a prefix of the preface when the head timeout ran out. A connection that sent nothing
    /// by then goes to HTTP/1.1, nothing looked at, to be kept or closed by Kestrel's keep-alive timeout as without HTTP/2.
    /// </summary>
    private async ValueTask<bool?> OpensWithPrefaceAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(runtime.Options.Limits.RequestHeadersTimeout);
        var started = false;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return started ? null : false;
            }
            started = true;
            var verdict = Match(read.Buffer);
            // Examined to the end only while undecided, so that the next read waits for more; once decided, the next reader sees it all.
            input.AdvanceTo(read.Buffer.Start, verdict is null ? read.Buffer.End : read.Buffer.Start);
            if (verdict is { } isPreface)
                return isPreface;
            if (read.IsCompleted || read.IsCanceled)
                return false;
        }
    }

    private async Task RefuseSlowPrefaceAsync(ConnectionContext connection)
    {
        runtime.Rejected(RequestRejection.HeadersTimeout);
        try
        {
            ResponseHeadWriter.WriteRejection(connection.Transport.Output, RequestRejection.HeadersTimeout);
            await connection.Transport.Output.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException)
        {
            // The client left first: nothing to answer.
        }
    }

    /// <summary>True: the buffer opens with the whole preface; false: it cannot; null: it is a prefix of it so far.</summary>
    private static bool? Match(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[Preface.Length];
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        buffer.Slice(0, length).CopyTo(start);
        if (!Preface.StartsWith(start[..length]))
            return false;
        return length == Preface.Length ? true : null;
    }
}
