using HostKit.Hosts;

namespace HostKit.Testing.Http;

/// <summary>The response of an in-memory request, carried out as a socket host carries it out, into memory.</summary>
internal sealed class MemoryResponse(bool isHead) : IHostResponse
{
    private readonly MemoryStream _body = new();
    private int _status;
    private List<(string Name, string Value)> _headers = [];

    public RequestSummary Request => new(isHead, IsHttp11: true, KeepAlive: true);

    /// <summary>True when the host kit gave up on the response after it started (a socket host would abort the connection).</summary>
    public bool Aborted { get; private set; }

    public ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body)
    {
        _status = head.Status;
        _headers = [.. head.Headers.Where(h => !ResponsePlan.IsFramingHeader(h.Name))];
        if (plan.ContentLength is { } length)
            _headers.Add(("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (plan.Connection == ConnectionHeader.Close)
            _headers.Add(("Connection", "close"));
        _body.Write(body.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        _body.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(ResponsePlan plan) => ValueTask.CompletedTask;

    public ValueTask RejectAsync(RequestRejection reason) => RequestPipeline.WriteRefusalAsync(this, reason);

    public void Abort() => Aborted = true;

    public TestResponse ToTestResponse() => new(_status, _headers, _body.ToArray());
}
