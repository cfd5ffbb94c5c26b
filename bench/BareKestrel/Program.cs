// The Demo's routes (/plaintext, /json, POST /echo, WS /ws/echo) written straight on ASP.NET Core,
// the way a user who did not pick HostKit writes them: WebApplication.CreateSlimBuilder and one
// request delegate (app.Run). HostKit on Kestrel is measured against this.
//   dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll --urls http://127.0.0.1:8000
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJsonContext.Default));
var app = builder.Build();
app.UseWebSockets();

var hello = "Hello, World!"u8.ToArray();
app.Run(async context =>
{
    var request = context.Request;
    var response = context.Response;
    switch (request.Path.Value)
    {
        case "/plaintext" when HttpMethods.IsGet(request.Method):
            response.ContentType = "text/plain";
            response.ContentLength = hello.Length;
            await response.Body.WriteAsync(hello);
            break;
        case "/json" when HttpMethods.IsGet(request.Method):
            await response.WriteAsJsonAsync(new Greeting("Hello, World!"), BareJsonContext.Default.Greeting);
            break;
        case "/echo" when HttpMethods.IsPost(request.Method):
            response.ContentType = request.ContentType ?? "application/octet-stream";
            if (request.ContentLength is { } length)
                response.ContentLength = length;
            await request.Body.CopyToAsync(response.Body);
            break;
        case "/ws/echo" when context.WebSockets.IsWebSocketRequest:
            // Compression only when the client offers it (the ws-chat-deflate workloads), as the HostKit hosts run in the benchmark.
            using (var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = true }))
                await EchoAsync(socket);
            break;
        case "/ws/echo":
            response.StatusCode = StatusCodes.Status426UpgradeRequired;
            await response.WriteAsync("426 Upgrade Required: connect with a websocket\n");
            break;
        default:
            response.StatusCode = StatusCodes.Status404NotFound;
            break;
    }
});
await app.RunAsync();

// Every message back, same type: the loop of the ASP.NET Core websocket sample, with its 4 KiB buffer.
static async Task EchoAsync(WebSocket socket)
{
    var buffer = new byte[4 * 1024];
    while (true)
    {
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }
        await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
    }
}

/// <summary>The body of <c>GET /json</c>.</summary>
internal sealed record Greeting([property: JsonPropertyName("message")] string Message);

/// <summary>Source-generated serialization, as the slim builder expects.</summary>
[JsonSerializable(typeof(Greeting))]
internal sealed partial class BareJsonContext : JsonSerializerContext;
