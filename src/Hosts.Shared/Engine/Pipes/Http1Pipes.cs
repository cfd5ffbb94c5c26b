using System.Buffers;
using System.IO.Pipelines;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts;

/// <summary>
/// The I/O around <see cref="Http1Protocol"/> for a host that reads and writes its connection through
/// pipes: reading a head, draining an unread body, switching to a websocket. The Raw host adds
/// timeouts and write batching around the same calls; a simple host uses these as they are.
/// </summary>
public static class Http1Pipes
{
    /// <summary>
    /// Reads until <paramref name="protocol"/> has a whole head (<see cref="HeadStatus.Complete"/>) or refused one
    /// (<see cref="HeadStatus.Rejected"/>); <see cref="HeadStatus.NeedMore"/> means the input ended or the read was canceled first.
    /// </summary>
    public static async ValueTask<HeadStatus> ReadHeadAsync(PipeReader input, Http1Protocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(protocol);
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var status = protocol.ReadHead(read.Buffer, out var consumed, out var examined);
            input.AdvanceTo(consumed, examined);
            if (status != HeadStatus.NeedMore)
                return status;
            if (read.IsCompleted || read.IsCanceled)
            {
                // Bytes of a head and then the end: a request cut short, which the client hears about.
                if (read.IsCompleted && protocol.Phase == Http1Phase.ReadingHead)
                    protocol.Reject(RequestRejection.IncompleteHead);
                return protocol.Phase == Http1Phase.Error ? HeadStatus.Rejected : HeadStatus.NeedMore;
            }
        }
    }

    /// <summary>While <paramref name="protocol"/> is <see cref="Http1Phase.Draining"/>, reads and drops the rest of the request body.</summary>
    public static async ValueTask DrainAsync(PipeReader input, Http1Protocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(protocol);
        while (protocol.Phase == Http1Phase.Draining)
        {
            var read = await input.ReadAsync(cancellationToken);
            protocol.Drain(read.Buffer, read.IsCompleted, out var consumed, out var examined);
            input.AdvanceTo(consumed, examined);
        }
    }

    /// <summary>
    /// Writes the 101 <paramref name="switchingProtocols"/>, ends the pipes, and returns the connection as a plain
    /// stream for the websocket: the bytes already read past the handshake first, then <paramref name="connection"/>.
    /// </summary>
    public static async ValueTask<Stream> SwitchProtocolsAsync(Http1Protocol protocol, PipeReader input, PipeWriter output, Stream connection, byte[] switchingProtocols)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        protocol.Upgrade();
        await output.WriteAsync(switchingProtocols);
        var buffered = Array.Empty<byte>();
        if (input.TryRead(out var read))
        {
            buffered = read.Buffer.ToArray();
            input.AdvanceTo(read.Buffer.End);
        }
        // The websocket reads the stream itself: no pipe buffer is held for an idle socket.
        await input.CompleteAsync();
        await output.CompleteAsync();
        return new UpgradedStream(buffered, connection);
    }
}
