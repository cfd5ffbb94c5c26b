using System.Text;

namespace HostKit.Fuzz;

/// <summary>
/// <c>chunked</c>: the input is what follows a chunked request head (the body, then perhaps the next request),
/// read with <see cref="HostKit.Hosts.Protocol.Http1Protocol.ReadBody"/> and drained with
/// <see cref="HostKit.Hosts.Protocol.Http1Protocol.Drain"/>, and held to <see cref="ChunkedReference"/>.
/// </summary>
internal sealed class ChunkedTarget : IFuzzTarget
{
    /// <summary>The head every input follows; the corpus files are bodies only, so mutations go to the framing.</summary>
    public static readonly byte[] Head = Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: chunked\r\n\r\n");

    public string Name => "chunked";

    public string Description => "chunked request bodies (after a fixed chunked head) through ReadBody and Drain";

    public void Run(ReadOnlySpan<byte> input) => ConnectionOracle.Run([.. Head, .. ConnectionOracle.Cut(input)]);
}
