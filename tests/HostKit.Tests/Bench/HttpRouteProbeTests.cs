using HostKit.Bench.Workloads;

namespace HostKit.Tests.Bench;

/// <summary>
/// A route the benchmarked app does not answer gets a row saying what it answered, not a figure of 404s: the probe
/// asks a real server (the conformance app on the raw host) once.
/// </summary>
public class HttpRouteProbeTests
{
    [Fact]
    public async Task A_route_the_app_does_not_answer_says_its_status()
    {
        await using var server = await ServerUnderTest.StartAsync("raw");
        Assert.Equal("GET /nope answered 404", await new HttpRouteProbe("GET", "/nope", 0).RefusalAsync(server.Address.Port, CancellationToken.None));
    }

    [Fact]
    public async Task A_route_the_app_answers_is_measured()
    {
        await using var server = await ServerUnderTest.StartAsync("raw");
        Assert.Null(await new HttpRouteProbe("GET", "/plaintext", 0).RefusalAsync(server.Address.Port, CancellationToken.None));
        Assert.Null(await new HttpRouteProbe("POST", "/echo", 4096).RefusalAsync(server.Address.Port, CancellationToken.None));
    }
}
