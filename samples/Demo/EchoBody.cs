namespace HostKit.Demo;

/// <summary><c>POST /echo</c>: the request body back, with its Content-Type.</summary>
internal static class EchoBody
{
    public static async ValueTask<Body> HandleAsync(Environ environ, StartResponse start)
    {
        // Read the whole body first: a response must not start while the request is still arriving
        // on hosts that answer in order on one connection. Sized from Content-Length when given.
        var buffer = new MemoryStream(environ.ContentLength is { } length and <= int.MaxValue ? (int)length : 0);
        await environ.Body.CopyToAsync(buffer, environ.RequestAborted);
        start(200, [("Content-Type", environ.ContentType ?? "application/octet-stream")]);
        return Body.Of(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
