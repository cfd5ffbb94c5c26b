namespace HostKit.Testing.Http;

/// <summary>Turns an <see cref="HttpRequestMessage"/> into an in-memory request, and the application's answer back into an <see cref="HttpResponseMessage"/>.</summary>
internal sealed class InMemoryHandler(TestClient client) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(TestClient.BaseAddress, request.RequestUri!);
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v))).ToList();
        Stream body = Stream.Null;
        long? length = null;
        if (request.Content is { } content)
        {
            headers.AddRange(content.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v))));
            body = await content.ReadAsStreamAsync(cancellationToken);
            length = request.Headers.TransferEncodingChunked == true ? null : content.Headers.ContentLength;
        }
        // The target as written (Uri.PathAndQuery would have normalised "/a/../b"), as a socket client sends it.
        var target = request.RequestUri is { IsAbsoluteUri: false } relative ? relative.OriginalString : uri.PathAndQuery;
        var environ = new TestEnviron(request.Method.Method, uri, target, headers, body, length, null, cancellationToken);
        var answer = (await client.RunAsync(environ, null))!;

        var response = new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(answer.Body),
        };
        foreach (var (name, value) in answer.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                response.Content.Headers.ContentLength = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            else if (!response.Headers.TryAddWithoutValidation(name, value))
                response.Content.Headers.TryAddWithoutValidation(name, value);
        }
        return response;
    }
}
