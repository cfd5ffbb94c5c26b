using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace HostKit.Tests.Conformance;

/// <summary>
/// The application the conformance suite runs on every host: one route per behaviour under test.
/// Written against the contract only, like any HostKit app.
/// </summary>
public sealed class ConformanceApp
{
    public static readonly byte[] HelloWorld = "Hello, World!"u8.ToArray();

    /// <summary>Close statuses the websocket handlers saw, for tests to check the server's side of a close.</summary>
    public Channel<(WebSocketCloseStatus? Status, string? Description)> ServerSawClose { get; } = Channel.CreateUnbounded<(WebSocketCloseStatus?, string?)>();

    /// <summary>Sockets accepted on /ws/hold, so a test can act on the server side (issue 8 cases).</summary>
    public Channel<IWebSocket> HeldSockets { get; } = Channel.CreateUnbounded<IWebSocket>();

    public Application Create()
    {
        var sockets = new WebSocketRoutes()
            .Map("/ws/echo", async socket =>
            {
                while (await socket.ReceiveAsync() is { } message)
                    await socket.SendAsync(message);
            })
            .Map("/ws/observe", async socket =>
            {
                while (await socket.ReceiveAsync() is { } message)
                    await socket.SendAsync(message);
                ServerSawClose.Writer.TryWrite((socket.CloseStatus, socket.CloseStatusDescription));
            })
            .Map("/ws/server-close", async socket =>
            {
                await socket.ReceiveAsync();
                await socket.CloseAsync((WebSocketCloseStatus)4002, "server says bye");
            })
            .Map("/ws/return", _ => ValueTask.CompletedTask)
            .Map("/ws/throw", async socket =>
            {
                await socket.ReceiveAsync();
                throw new InvalidOperationException("handler failed on purpose");
            })
            .Map("/ws/hold", async socket =>
            {
                HeldSockets.Writer.TryWrite(socket);
                while (await socket.ReceiveAsync() is not null)
                {
                }
                ServerSawClose.Writer.TryWrite((socket.CloseStatus, socket.CloseStatusDescription));
            })
            .Map("/ws/refuse", (_, _) => ValueTask.CompletedTask, new WebSocketRouteOptions
            {
                Authorize = _ => ValueTask.FromResult<WebSocketRefusal?>(new WebSocketRefusal(403, "no entry")),
            })
            .Map("/ws/subprotocol", async (socket, _) =>
            {
                await socket.SendAsync(WebSocketMessage.FromText(socket.SubProtocol ?? "(none)"));
                await socket.ReceiveAsync();
            }, new WebSocketRouteOptions { SubProtocols = ["chat.v2", "chat.v1"] });
        return sockets.Wrap(Http);
    }

    private static ValueTask<Body> Http(Environ environ, StartResponse start) => environ.PathInfo switch
    {
        "/plaintext" => Text(start, HelloWorld),
        "/json" => Json(start),
        "/echo" => EchoAsync(environ, start),
        "/chunked" => Chunked(start),
        "/environ" => DescribeEnviron(environ, start),
        "/throw" => throw new InvalidOperationException("app failed on purpose"),
        "/throw-in-body" => ThrowInBody(start),
        "/no-start" => Body.Empty,
        _ => NotFound(start),
    };

    private static ValueTask<Body> Text(StartResponse start, byte[] text)
    {
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(text);
    }

    private static ValueTask<Body> Json(StartResponse start)
    {
        start(200, [("Content-Type", "application/json")]);
        return Body.Of(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = "Hello, World!" }));
    }

    private static async ValueTask<Body> EchoAsync(Environ environ, StartResponse start)
    {
        var body = new MemoryStream();
        await environ.Body.CopyToAsync(body, environ.RequestAborted);
        start(200, [("Content-Type", environ.ContentType ?? "application/octet-stream")]);
        return Body.Of(body.GetBuffer().AsMemory(0, (int)body.Length));
    }

    private static ValueTask<Body> Chunked(StartResponse start)
    {
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(Pieces());

        static async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces()
        {
            foreach (var piece in new[] { "one,", "two,", "three" })
            {
                await Task.Yield();
                yield return Encoding.UTF8.GetBytes(piece);
            }
        }
    }

    private static ValueTask<Body> ThrowInBody(StartResponse start)
    {
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(Failing());

        static async IAsyncEnumerable<ReadOnlyMemory<byte>> Failing([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new byte[64 * 1024];
            await Task.Delay(50, cancellationToken);
            throw new InvalidOperationException("body failed on purpose");
        }
    }

    private static ValueTask<Body> DescribeEnviron(Environ environ, StartResponse start)
    {
        string[] keys = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH",
            "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "REMOTE_ADDR", "wsgi.url_scheme", "HTTP_X_CONFORMANCE", "HTTP_HOST"];
        var values = keys.ToDictionary(k => k, k => environ[k]);
        start(200, [("Content-Type", "application/json")]);
        return Body.Of(JsonSerializer.SerializeToUtf8Bytes(values));
    }

    private static ValueTask<Body> NotFound(StartResponse start)
    {
        start(404, [("Content-Type", "text/plain")]);
        return Body.Of("not found");
    }
}
