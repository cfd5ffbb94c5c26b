using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostKit.Engines.KestrelH2c;

/// <summary>
/// h2c by prior knowledge (RFC 9113 section 3.3) on an endpoint that also serves HTTP/1.1: a connection whose first bytes
/// are the HTTP/2 client preface goes to Kestrel's HTTP/2-only <see cref="HandOffEndPoint"/>, any other stays on HTTP/1.1.
/// </summary>
/// <remarks>
/// <para>
/// Kestrel has no such endpoint of its own: on a cleartext endpoint that allows both it picks HTTP/1.1 unconditionally, for
/// want of ALPN (dotnet/aspnetcore#56984, open). Nothing is consumed here, so whichever protocol takes the connection reads
/// the same bytes.
/// </para>
/// <para>
/// Three hooks, one per part of Kestrel it touches: <see cref="Use"/> on each cleartext endpoint, <see cref="Serve"/> once on
/// the server's options, and <see cref="Transport"/> around the server's transport; <see cref="IsHandOff"/> tells the
/// hand-off endpoint apart in the server's address list.
/// </para>
/// </remarks>
/// <param name="prefaceTimeout">
/// How long the first bytes may take to tell (the server's request-head timeout): a connection that sent nothing by then
/// goes to HTTP/1.1, one that is still part-way through the preface is refused.
/// </param>
/// <param name="refuseSlowPreface">
/// Answers a connection that sent part of the preface and no more within <paramref name="prefaceTimeout"/>, before it is
/// closed (a server writes its own 408 there); null closes it without an answer.
/// </param>
public sealed class H2cPriorKnowledge(TimeSpan prefaceTimeout, Func<ConnectionContext, ValueTask>? refuseSlowPreface = null)
{
    private readonly HandOffListener _http2 = new();

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>True for the hand-off endpoint's entry in Kestrel's address list, which is no address a client can reach: leave it out of what a server reports.</summary>
    /// <param name="address">An entry of Kestrel's <c>IServerAddressesFeature.Addresses</c>.</param>
    public static bool IsHandOff(string address) => address.Contains(HandOffEndPoint.Name, StringComparison.Ordinal);

    /// <summary>Serves HTTP/1.1 and h2c on the cleartext endpoint <paramref name="listen"/>: call it from <c>KestrelServerOptions.Listen</c>'s configure.</summary>
    /// <param name="listen">A cleartext endpoint (its <see cref="ListenOptions.Protocols"/> become <see cref="HttpProtocols.Http1"/>).</param>
    public void Use(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(Sniff);
    }

    /// <summary>Adds the HTTP/2-only endpoint the connections with the preface are handed to, once, after the other endpoints.</summary>
    /// <param name="kestrel">The server's options.</param>
    public void Serve(KestrelServerOptions kestrel) => kestrel.Listen(_http2.EndPoint, listen => listen.Protocols = HttpProtocols.Http2);

    /// <summary>The transport that binds the hand-off endpoint, and every other with <paramref name="sockets"/>: give it to the <c>KestrelServer</c>.</summary>
    /// <param name="sockets">The server's own transport (Kestrel's sockets, say).</param>
    public IConnectionListenerFactory Transport(IConnectionListenerFactory sockets) => new HandOffTransportFactory(sockets);

    /// <summary>
    /// The connection middleware: HTTP/2 for a connection that opens with the preface, <paramref name="next"/> (HTTP/1.1) for
    /// any other. A client that sends part of the preface and no more within the head timeout is a slow head: answered by
    /// <c>refuseSlowPreface</c>, and the connection closes (left to HTTP/1.1 it would wait on bytes already looked at, for the
    /// keep-alive timeout).
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
                if (refuseSlowPreface is not null)
                    await refuseSlowPreface(connection);
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
        using var timeout = new CancellationTokenSource(prefaceTimeout);
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
