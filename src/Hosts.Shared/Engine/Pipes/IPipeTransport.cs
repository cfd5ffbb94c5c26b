using System.IO.Pipelines;

namespace HostKit.Hosts;

/// <summary>
/// A connection as the host kit's HTTP/1.1 pieces (<see cref="Http1PipeConnection"/>, <see cref="Http1PipeResponse"/>,
/// <see cref="LingeringClose"/>, <see cref="Http1Pipes"/>) use it: two pipes and the two
/// ways the connection ends. A host that owns its socket uses <see cref="SocketPipeTransport"/>; a host handed the pipes
/// of a transport it does not own (Kestrel's connection handlers) uses <see cref="DuplexPipeTransport"/>, or implements
/// this over what it is handed.
/// </summary>
/// <remarks>
/// The kit never takes a flushed <see cref="IDuplexPipe.Output"/> to mean that the bytes are on the wire: over a
/// transport with its own send loop they may still wait in the pipe. Only <see cref="CloseOutputAsync"/> promises
/// that what was written goes out before the end.
/// </remarks>
public interface IPipeTransport : IDuplexPipe
{
    /// <summary>
    /// Ends the sending side gracefully: everything written to <see cref="IDuplexPipe.Output"/> goes out first, then
    /// the end of the stream (a FIN). A transport that can half-close leaves <see cref="IDuplexPipe.Input"/> readable,
    /// so the client's last bytes can be read away (<see cref="LingeringClose"/>); one that cannot closes it too, and its reads end.
    /// </summary>
    ValueTask CloseOutputAsync();

    /// <summary>
    /// Drops the connection at once (with a TCP reset where the transport allows), so the client cannot take a
    /// cut-short response for a whole one. What is not sent yet may be lost.
    /// </summary>
    void Abort();

    /// <summary>
    /// Called once the 101 is written and flushed: the connection as a <see cref="Stream"/> for the websocket engine.
    /// By default the kit's pipe-to-stream adapter over the pipes (each write flushed), which stay the transport's; a transport that owns a
    /// socket can end the pipes and hand over the socket's stream itself (<see cref="SocketPipeTransport"/>).
    /// </summary>
    ValueTask<Stream> SwitchToStreamAsync() => ValueTask.FromResult<Stream>(new TransportStream(this));
}
