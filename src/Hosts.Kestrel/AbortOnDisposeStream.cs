using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// Kestrel's upgraded stream does nothing on dispose (it cannot tell a graceful close from an abort),
/// so a websocket that aborts (a peer that stopped answering pings) would leave the connection open
/// and its pending read hanging. This stream aborts the connection when it is disposed by an aborted
/// websocket, as ASP.NET Core's own websocket middleware does.
/// </summary>
internal sealed class AbortOnDisposeStream(Stream inner, IHttpRequestLifetimeFeature lifetime) : Stream
{
    /// <summary>The websocket framing this stream; set once it exists.</summary>
    public WebSocket? Socket { get; set; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (Socket?.State == WebSocketState.Aborted)
                lifetime.Abort();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
