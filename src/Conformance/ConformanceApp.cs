using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace HostKit.Conformance;

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

    /// <summary>Released by a test to let a request to /slow answer.</summary>
    public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once a request to /slow is waiting on <see cref="SlowGate"/>.</summary>
    public TaskCompletionSource SlowEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Requests to /wait-for-abort whose RequestAborted fired.</summary>
    public Channel<string> AbortsSeen { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Set when the body /ws/discard-body returned after its websocket was disposed, as every host must.</summary>
    public TaskCompletionSource DiscardedBodyDisposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What /start-then-accept saw when it tried to accept after starting a response.</summary>
    public TaskCompletionSource<string> AcceptAfterStart { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The message limit of the /ws/echo-100 route, under the host's.</summary>
    public const int SmallRouteLimit = 100;

    public Application Create()
    {
        var sockets = new WebSocketRoutes()
            .Map("/ws/echo", async socket =>
            {
                while (await socket.ReceiveAsync() is { } message)
                    await socket.SendAsync(message);
            })
            .Map("/ws/echo-100", async (socket, _) =>
            {
                while (await socket.ReceiveAsync() is { } message)
                    await socket.SendAsync(message);
            }, new WebSocketRouteOptions { MaxMessageBytes = SmallRouteLimit })
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
            .Map("/ws/request", async (socket, environ) =>
            {
                // Read after the accept, when a host may have let go of the connection's HTTP state.
                await socket.SendAsync(WebSocketMessage.FromText(
                    $"{environ.RequestMethod} {environ.PathInfo}?{environ.QueryString} upgrade={environ.GetHeader("Upgrade")?.ToLowerInvariant()} from={environ.RemoteAddress}"));
                await socket.ReceiveAsync();
            })
            .Map("/ws/echo-after-wait", async (socket, _) =>
            {
                while (await socket.ReceiveAsync() is { } message)
                    await socket.SendAsync(message);
            }, new WebSocketRouteOptions
            {
                // A real wait before the accept: a host must serve a websocket accepted late as one accepted at once.
                Authorize = async _ =>
                {
                    await Task.Delay(1);
                    return null;
                },
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
        var routed = sockets.Wrap(Http);
        // Upgrades these two answer themselves, below WebSocketRoutes, to test what a host does with them.
        return (environ, start) => environ.PathInfo switch
        {
            "/start-then-accept" => StartThenAcceptAsync(environ, start),
            "/ws/discard-body" => AcceptAndReturnBodyAsync(environ, start),
            _ => routed(environ, start),
        };
    }

    private async ValueTask<Body> StartThenAcceptAsync(Environ environ, StartResponse start)
    {
        start(200, [("Content-Type", "text/plain")]);
        try
        {
            await environ.WebSocket!.AcceptAsync();
            AcceptAfterStart.TrySetResult("accepted");
        }
        catch (InvalidOperationException ex)
        {
            AcceptAfterStart.TrySetResult(ex.GetType().Name);
        }
        return Body.Of("answered over HTTP");
    }

    private async ValueTask<Body> AcceptAndReturnBodyAsync(Environ environ, StartResponse start)
    {
        var socket = await environ.WebSocket!.AcceptAsync();
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        // A body after an accepted websocket has nowhere to go: every host drops it, and disposes a stream.
        return Body.Of(new NotifyingStream("must not be sent"u8.ToArray(), DiscardedBodyDisposed));
    }

    private ValueTask<Body> Http(Environ environ, StartResponse start) => environ.PathInfo switch
    {
        "/" => DescribeEnviron(environ, start),
        "/plaintext" => Text(start, HelloWorld),
        "/json" => Json(start),
        "/echo" => EchoAsync(environ, start),
        "/echo-streamed" => EchoStreamed(environ, start),
        "/chunked" => Chunked(start),
        "/environ" => DescribeEnviron(environ, start),
        "/header-x-a" => DescribeHeaderXA(environ, start),
        "/throw" => throw new InvalidOperationException("app failed on purpose"),
        "/throw-in-body" => ThrowInBody(start),
        "/no-start" => Body.Empty,
        "/no-content-with-body" => WithBody(start, 204),
        "/not-modified-with-body" => WithBody(start, 304),
        "/stream-short" => Streamed(start, bytes: 5, declared: 10),
        "/stream-long" => Streamed(start, bytes: 20, declared: 10),
        "/stream-exact" => Streamed(start, bytes: 13, declared: 13),
        "/chunks-declared-short" => ChunksDeclared(start, declared: 10, chunkBytes: 5),
        "/connection-close" => WithHeaders(start, ("Connection", "close")),
        "/connection-keep-alive" => WithHeaders(start, ("Connection", "keep-alive")),
        "/framing-headers" => WithHeaders(start, ("Content-Length", "999"), ("Transfer-Encoding", "chunked")),
        "/stream-echo-late" => StreamEchoLate(environ, start),
        "/catch-body" => CatchBodyAsync(environ, start),
        "/sync-echo" => SyncEcho(environ, start),
        "/slow" => SlowAsync(start),
        "/wait-for-abort" => WaitForAbortAsync(environ, start),
        "/slow-stream" => SlowStream(start),
        _ => NotFound(start),
    };

    private static ValueTask<Body> WithBody(StartResponse start, int status)
    {
        start(status, [("Content-Type", "text/plain")]);
        return Body.Of("a body this status may not carry");
    }

    private static ValueTask<Body> Streamed(StartResponse start, int bytes, long declared)
    {
        start(200, [("Content-Type", "application/octet-stream")]);
        return Body.Of(new MemoryStream(Enumerable.Repeat((byte)'s', bytes).ToArray()), declared);
    }

    private static ValueTask<Body> ChunksDeclared(StartResponse start, long declared, int chunkBytes)
    {
        start(200, [("Content-Type", "application/octet-stream"), ("Content-Length", declared.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return Body.Of(One());

        async IAsyncEnumerable<ReadOnlyMemory<byte>> One()
        {
            await Task.Yield();
            yield return new byte[chunkBytes];
        }
    }

    private static ValueTask<Body> WithHeaders(StartResponse start, params (string, string)[] headers)
    {
        start(200, [("Content-Type", "text/plain"), .. headers]);
        return Body.Of("five!");
    }

    /// <summary>Starts its response, then reads the request body: a 100 Continue must not follow the 200.</summary>
    private static ValueTask<Body> StreamEchoLate(Environ environ, StartResponse start)
    {
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(Pieces());

        async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces()
        {
            yield return "start\n"u8.ToArray();
            var body = new MemoryStream();
            await environ.Body.CopyToAsync(body);
            yield return body.ToArray();
        }
    }

    private static async ValueTask<Body> CatchBodyAsync(Environ environ, StartResponse start)
    {
        try
        {
            await environ.Body.CopyToAsync(Stream.Null);
            start(200, [("Content-Type", "text/plain")]);
            return Body.Of("read");
        }
        catch (IOException)
        {
            start(200, [("Content-Type", "text/plain")]);
            return Body.Of("caught");
        }
    }

    private static ValueTask<Body> SyncEcho(Environ environ, StartResponse start)
    {
        var body = new MemoryStream();
        var buffer = new byte[1000];
        int read;
        while ((read = environ.Body.Read(buffer, 0, buffer.Length)) > 0)
            body.Write(buffer, 0, read);
        start(200, [("Content-Type", "application/octet-stream")]);
        return Body.Of(body.ToArray());
    }

    private async ValueTask<Body> SlowAsync(StartResponse start)
    {
        SlowEntered.TrySetResult();
        await SlowGate.Task;
        return await Text(start, "slow"u8.ToArray());
    }

    private async ValueTask<Body> WaitForAbortAsync(Environ environ, StartResponse start)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(5), environ.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            AbortsSeen.Writer.TryWrite(environ.QueryString);
        }
        return await Text(start, "aborted"u8.ToArray());
    }

    private static ValueTask<Body> SlowStream(StartResponse start)
    {
        start(200, [("Content-Type", "application/octet-stream")]);
        return Body.Of(Forever());

        static async IAsyncEnumerable<ReadOnlyMemory<byte>> Forever([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var piece = new byte[16 * 1024];
            for (var i = 0; i < 100_000; i++)
            {
                yield return piece;
                await Task.Delay(5, cancellationToken);
            }
        }
    }

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

    /// <summary>The request body itself as the response body: the host reads it while it answers, and disposes it after.</summary>
    private static ValueTask<Body> EchoStreamed(Environ environ, StartResponse start)
    {
        start(200, [("Content-Type", environ.ContentType ?? "application/octet-stream")]);
        return Body.Of(environ.Body, environ.ContentLength);
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
            "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "REMOTE_ADDR", "REMOTE_PORT", "wsgi.url_scheme", "HTTP_X_CONFORMANCE", "HTTP_HOST"];
        var values = keys.ToDictionary(k => k, k => environ[k]);
        start(200, [("Content-Type", "application/json")]);
        return Body.Of(JsonSerializer.SerializeToUtf8Bytes(values));
    }

    /// <summary>The three ways the contract gives header <c>X-A</c>: by name, by its CGI key, and its entries in <see cref="Environ.Headers"/>.</summary>
    private static ValueTask<Body> DescribeHeaderXA(Environ environ, StartResponse start)
    {
        var seen = new
        {
            GetHeader = environ.GetHeader("X-A"),
            Cgi = environ["HTTP_X_A"],
            Headers = environ.Headers.Where(h => h.Key.Equals("X-A", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray(),
        };
        start(200, [("Content-Type", "application/json")]);
        return Body.Of(JsonSerializer.SerializeToUtf8Bytes(seen));
    }

    private static ValueTask<Body> NotFound(StartResponse start)
    {
        start(404, [("Content-Type", "text/plain")]);
        return Body.Of("not found");
    }

    /// <summary>A stream that says when it was disposed.</summary>
    private sealed class NotifyingStream(byte[] data, TaskCompletionSource disposed) : MemoryStream(data)
    {
        protected override void Dispose(bool disposing)
        {
            disposed.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
