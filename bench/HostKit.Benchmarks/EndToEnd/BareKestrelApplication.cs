using System.Buffers;
using System.Net.WebSockets;
using HostKit.Hosts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>
/// Kestrel with nothing above it: an <see cref="IHttpApplication{TContext}"/> over Kestrel's own feature collection
/// (no <c>HttpContext</c>, no middleware) that writes the Demo's <c>/plaintext</c> answer through the same features
/// the HostKit adapter uses, and echoes websocket messages with the engine's cheapest calls (one buffer, the
/// <c>ValueTask</c> overloads). What it allocates is what Kestrel itself allocates: the floor under the
/// <c>kestrel</c> host, which issue 15 measures that host against.
/// </summary>
internal sealed class BareKestrelApplication : IHttpApplication<IFeatureCollection>
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    public Task ProcessRequestAsync(IFeatureCollection features)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        if (request.Path == "/ws/echo" && features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            return EchoAsync(features, request, upgrade);
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = 200;
        response.Headers.ContentType = "text/plain";
        response.Headers.ContentLength = Hello.Length;
        return WriteAsync(features.GetRequiredFeature<IHttpResponseBodyFeature>());
    }

    private static async Task WriteAsync(IHttpResponseBodyFeature body)
    {
        // As the adapter does: into Kestrel's output buffer, which Kestrel flushes when the request ends.
        await body.StartAsync();
        body.Writer.Write(Hello);
    }

    private static async Task EchoAsync(IFeatureCollection features, IHttpRequestFeature request, IHttpUpgradeFeature upgrade)
    {
        var headers = features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = WebSocketHandshake.AcceptKey(request.Headers.SecWebSocketKey.ToString());
        var stream = await upgrade.UpgradeAsync();
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
    }
}
