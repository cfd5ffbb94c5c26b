using System.Globalization;

namespace HostKit.Bench.Workloads;

/// <summary>
/// One request to an application's route before it is measured: a route the app does not answer (404, 405, a 500)
/// gets a row that says what it answered ("GET /x answered 404") instead of a figure of error responses.
/// </summary>
internal sealed class HttpRouteProbe(string method, string path, int bodyBytes)
{
    /// <summary>Null when the route answers with a status under 400; otherwise what it answered.</summary>
    public async Task<string?> RefusalAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}"));
        if (bodyBytes > 0)
            request.Content = new ByteArrayContent(new byte[bodyBytes]);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return status < 400 ? null : $"{method} {path} answered {status.ToString(CultureInfo.InvariantCulture)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"{method} {path} got no answer: {e.Message}";
        }
    }
}
