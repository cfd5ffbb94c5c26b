namespace HostKit.Demo;

/// <summary><c>POST /echo</c>: the request body back, with its Content-Type.</summary>
internal static class EchoBody
{
    /// <summary>
    /// The largest body streamed straight back. A client may send its whole body before it reads anything (HttpClient
    /// does): the echo then waits in the client's receive buffer, 128 KiB by default on Linux, and a larger one could
    /// leave client and server each waiting for the other to read.
    /// </summary>
    private const long MaxStreamedBytes = 64 * 1024;

    public static async ValueTask<Body> HandleAsync(Environ environ, StartResponse start)
    {
        var contentType = environ.ContentType ?? "application/octet-stream";
        if (environ.ContentLength is { } length and <= MaxStreamedBytes)
        {
            // The request body is the response body: no copy, no buffer; the host reads it as it answers.
            start(200, [("Content-Type", contentType)]);
            return Body.Of(environ.Body, length);
        }

        // Larger, or of unknown length (chunked): read it all before answering. Sized from Content-Length when given.
        var buffer = new MemoryStream(environ.ContentLength is { } known and <= int.MaxValue ? (int)known : 0);
        await environ.Body.CopyToAsync(buffer, environ.RequestAborted);
        start(200, [("Content-Type", contentType)]);
        return Body.Of(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
