using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// A host's engine seen from the host kit: the few things <see cref="RequestPipeline"/> asks of it to
/// carry out a response. Each host implements it once (per connection where it can, so a request allocates nothing).
/// </summary>
public interface IHostResponse : IBodySink
{
    /// <summary>What the response plan needs to know of the request, read after the application ran (a refused body closes the connection).</summary>
    RequestSummary Request { get; }

    /// <summary>Writes the response head as <paramref name="plan"/> says (framing headers from the plan, never the application's), and <paramref name="body"/> when the whole body is one buffer.</summary>
    ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body);

    /// <summary>Ends the response once its body is written (the last chunk of a chunked body, the engine's close).</summary>
    ValueTask CompleteAsync(ResponsePlan plan);

    /// <summary>Answers a refused request with <see cref="RequestRejections"/>' status, text and headers, and closes the connection.</summary>
    ValueTask RejectAsync(RequestRejection reason);

    /// <summary>Drops the connection so that the client cannot take a cut-short response for a whole one.</summary>
    void Abort();
}
