using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostKit.Tests.Telemetry;

/// <summary>
/// A small OTLP/HTTP collector for one test: Kestrel on 127.0.0.1 port 0, answering every POST with 200 and an empty
/// body (an empty protobuf: everything accepted) and keeping each POST's path, content type and body. The bodies are
/// protobuf; strings (metric and attribute names, values) and ids (a trace id's 16 bytes) appear in them as they are,
/// so a test finds them without decoding the message.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Post> _posts = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>One POST as it arrived (its body decompressed if it was gzipped).</summary>
    public sealed record Post(string Path, string? ContentType, byte[] Body);

    /// <summary>The collector's base URL, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.Run(receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri(address);
        return receiver;
    }

    /// <summary>The bodies POSTed to <paramref name="path"/> so far.</summary>
    public IReadOnlyList<Post> PostsTo(string path) => [.. _posts.Where(p => p.Path == path)];

    /// <summary>True when some POST to <paramref name="path"/> holds every one of <paramref name="parts"/>.</summary>
    public bool Received(string path, params byte[][] parts) =>
        PostsTo(path).Any(post => parts.All(part => post.Body.AsSpan().IndexOf(part) >= 0));

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        if (context.Request.Headers.ContentEncoding == "gzip")
        {
            await using var unzipped = new GZipStream(context.Request.Body, CompressionMode.Decompress);
            await unzipped.CopyToAsync(body);
        }
        else
            await context.Request.Body.CopyToAsync(body);
        _posts.Enqueue(new Post(context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
