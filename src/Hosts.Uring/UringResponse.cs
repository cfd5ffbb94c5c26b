
namespace HostKit.Hosts.Uring;

/// <summary>
/// The host kit's <see cref="Http1PipeResponse"/> for everything but the abort: its socket is a view of a
/// descriptor the ring owns, so the reset goes through the ring (<see cref="UringStream.Reset"/>).
/// </summary>
internal sealed class UringResponse(Http1PipeResponse inner, Action abort) : IHostResponse
{
    public RequestSummary Request => inner.Request;

    public ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body) => inner.StartAsync(head, plan, body);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => inner.WriteAsync(bytes, cancellationToken);

    public ValueTask CompleteAsync(ResponsePlan plan) => inner.CompleteAsync(plan);

    public ValueTask RejectAsync(RequestRejection reason) => inner.RejectAsync(reason);

    public void Abort() => abort();
}
