// Bare Kestrel serving the Demo's /plaintext and /ws/echo, with nothing of HostKit in between.
// Same builder choices as HostKit's Kestrel host (empty builder, Kestrel core, no server header),
// so a load test measures the adapter and nothing else.
using System.Net.WebSockets;

var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.AddServerHeader = false);
builder.WebHost.UseUrls(args.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault() ?? "http://127.0.0.1:8000");
var app = builder.Build();
app.UseWebSockets();
var hello = "Hello, World!"u8.ToArray();
app.Run(async context =>
{
    switch (context.Request.Path.Value)
    {
        case "/plaintext":
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = hello.Length;
            await context.Response.BodyWriter.WriteAsync(hello);
            break;
        case "/ws/echo" when context.WebSockets.IsWebSocketRequest:
            using (var socket = await context.WebSockets.AcceptWebSocketAsync())
            {
                var buffer = new byte[4 * 1024]; // the size the ASP.NET Core websocket samples use
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        break;
                    }
                    await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
                }
            }
            break;
        default:
            context.Response.StatusCode = 404;
            break;
    }
});
await app.StartAsync();
Console.WriteLine("BareKestrel listening on " + string.Join(", ", app.Urls));
await app.WaitForShutdownAsync();
