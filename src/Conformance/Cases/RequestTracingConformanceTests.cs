using System.Collections.Concurrent;
using System.Diagnostics;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>One activity per request, continuing the caller's W3C <c>traceparent</c>, the same on every host.</summary>
public abstract class RequestTracingConformanceTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public RequestTracingConformanceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RequestTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http);

    public void Dispose() => _listener.Dispose();

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_request_is_one_server_activity_that_continues_the_incoming_traceparent(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var trace = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plaintext");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{parent}-01");
        using (var response = await server.Http.SendAsync(request))
            Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_stopped.Any(a => a.TraceId == trace) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var activity = Assert.Single(_stopped, a => a.TraceId == trace);
        Assert.Equal((parent, ActivityKind.Server, "GET"), (activity.ParentSpanId, activity.Kind, activity.DisplayName));
        Assert.Equal(("/plaintext", 200), ((string?)activity.GetTagItem("url.path"), (int?)activity.GetTagItem("http.response.status_code")));
    }
}
