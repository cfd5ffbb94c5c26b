namespace HostKit.Tests.Hosting;

/// <summary>
/// The one rejection writer (<see cref="RequestPipeline.WriteRefusalAsync"/>): every host's refusal is its head, plan and
/// body written through the engine's own <see cref="IHostResponse.StartAsync"/> and <see cref="IHostResponse.CompleteAsync"/>,
/// and a client that went away while it was written ends in an abort, not in an exception the host must catch.
/// </summary>
public class RefusalWriterTests
{
    [Fact]
    public async Task A_refusal_is_written_as_a_response_with_connection_close()
    {
        var response = new RecordingResponse(failWith: null);
        await RequestPipeline.WriteRefusalAsync(response, RequestRejection.BodyTooLarge);
        Assert.Equal(413, response.Status);
        Assert.Equal(ConnectionHeader.Close, response.Plan!.Value.Connection);
        Assert.True(response.Completed);
        Assert.False(response.Aborted);
    }

    [Fact]
    public async Task A_refusal_to_a_client_that_went_away_aborts_the_connection()
    {
        var response = new RecordingResponse(failWith: new ClientDisconnectedException(new IOException("reset")));
        await RequestPipeline.WriteRefusalAsync(response, RequestRejection.BodyTooLarge);
        Assert.True(response.Aborted);
        Assert.False(response.Completed);
    }

    [Fact]
    public async Task Any_other_failure_is_the_hosts_to_see()
    {
        var response = new RecordingResponse(failWith: new InvalidOperationException("an engine fault"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => RequestPipeline.WriteRefusalAsync(response, RequestRejection.BodyTooLarge).AsTask());
        Assert.False(response.Aborted);
    }

    private sealed class RecordingResponse(Exception? failWith) : IHostResponse
    {
        public int Status { get; private set; }

        public ResponsePlan? Plan { get; private set; }

        public bool Completed { get; private set; }

        public bool Aborted { get; private set; }

        public RequestSummary Request => new(IsHead: false, IsHttp11: true, KeepAlive: true);

        public ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body)
        {
            if (failWith is not null)
                throw failWith;
            (Status, Plan) = (head.Status, plan);
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(ResponsePlan plan)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask RejectAsync(RequestRejection reason) => RequestPipeline.WriteRefusalAsync(this, reason);

        public void Abort() => Aborted = true;
    }
}
