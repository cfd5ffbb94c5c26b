using System.Text.Json;

namespace HostKit.Demo;

/// <summary>The Demo's HTTP routes.</summary>
internal static class HttpRoutes
{
    private static readonly byte[] HelloWorld = "Hello, World!"u8.ToArray();
    private static readonly byte[] NotFoundBody = "404 Not Found\n"u8.ToArray();

    public static ValueTask<Body> Handle(Environ environ, StartResponse start) => environ.PathInfo switch
    {
        "/" => Only("GET", environ, start, ChatPage.Handle),
        "/plaintext" => Only("GET", environ, start, Plaintext),
        "/json" => Only("GET", environ, start, Json),
        "/echo" => Only("POST", environ, start, EchoBody.HandleAsync),
        _ => NotFound(start),
    };

    private static ValueTask<Body> Plaintext(Environ environ, StartResponse start)
    {
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(HelloWorld);
    }

    private static ValueTask<Body> Json(Environ environ, StartResponse start)
    {
        start(200, [("Content-Type", "application/json")]);
        return Body.Of(JsonSerializer.SerializeToUtf8Bytes(new Greeting("Hello, World!"), DemoJsonContext.Default.Greeting));
    }

    private static ValueTask<Body> NotFound(StartResponse start)
    {
        start(404, [("Content-Type", "text/plain")]);
        return Body.Of(NotFoundBody);
    }

    /// <summary>Serves <paramref name="route"/> for <paramref name="method"/> (and HEAD with GET); anything else gets 405 with <c>Allow</c>.</summary>
    private static ValueTask<Body> Only(string method, Environ environ, StartResponse start, Application route)
    {
        var request = environ.RequestMethod;
        if (request == method || (method == "GET" && request == "HEAD"))
            return route(environ, start);
        start(405, [("Content-Type", "text/plain"), ("Allow", method == "GET" ? "GET, HEAD" : method)]);
        return Body.Of($"405 Method Not Allowed: use {method}\n");
    }
}
