using System.Buffers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The HostKit application as Kestrel's <see cref="IHttpApplication{TContext}"/>: Kestrel calls it for
/// each request with its feature collection, and it carries out the host kit's decisions through the
/// request and response features. No <c>HttpContext</c>, no middleware pipeline, no DI in between.
/// </summary>
internal sealed class KestrelApplication(Application application, ServerOptions options, WebSocketTracker tracker, ILogger logger) : IHttpApplication<KestrelEnviron>
{
    public KestrelEnviron CreateContext(IFeatureCollection contextFeatures)
    {
        // Kestrel keeps a slot per connection for the context: one environ serves all its requests.
        var environ = contextFeatures is IHostContextContainer<KestrelEnviron> container
            ? container.HostContext ??= new KestrelEnviron()
            : new KestrelEnviron();
        environ.Begin(contextFeatures);
        return environ;
    }

    public void DisposeContext(KestrelEnviron context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(KestrelEnviron environ)
    {
        var features = environ.Features;
        KestrelUpgrade? upgrade = null;
        if (WebSocketHandshake.IsRequested(environ.RequestMethod, environ.IsHttp11, environ.GetHeader("Upgrade"), environ.GetHeader("Connection")) &&
            features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true })
        {
            var key = environ.GetHeader("Sec-WebSocket-Key");
            if (WebSocketHandshake.Validate(environ.GetHeader("Sec-WebSocket-Version"), key) is { } refused)
            {
                await RejectAsync(environ, refused);
                return;
            }
            upgrade = new KestrelUpgrade(features, key!, WebSocketHandshake.SubProtocols(environ.GetHeader("Sec-WebSocket-Protocol")), environ.Head, tracker, options.WebSockets, logger);
            environ.Offer(upgrade);
        }

        var result = await ApplicationInvoker.InvokeAsync(application, environ, environ.Head, logger, Classify);
        switch (result.Outcome)
        {
            case ApplicationOutcome.WebSocket:
                await upgrade!.FinishAsync(result);
                break;
            case ApplicationOutcome.Reject:
                await RejectAsync(environ, result.Rejection!.Value);
                break;
            case ApplicationOutcome.Fail:
                environ.Head.Set(500, HostResponses.ContentType);
                await RespondAsync(environ, Body.Of(HostResponses.InternalErrorBody));
                break;
            default:
                await RespondAsync(environ, result.Body);
                break;
        }
    }

    private async Task RespondAsync(KestrelEnviron environ, Body body)
    {
        var features = environ.Features;
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        var head = environ.Head;
        var request = new RequestSummary(environ.RequestMethod == "HEAD", environ.IsHttp11, ClientKeepAlive.Wanted(environ.IsHttp11, environ.GetHeader("Connection")));
        var plan = ResponsePlan.For(request, head, body);
        response.StatusCode = head.Status;
        var headers = response.Headers;
        foreach (var (name, value) in head.Headers)
        {
            if (!ResponsePlan.IsFramingHeader(name))
                headers.Append(name, value);
        }
        headers.ContentLength = plan.ContentLength;
        if (plan.Connection == ConnectionHeader.Close)
            headers.Connection = "close"; // Kestrel closes after a response that says so

        if (body.Kind == BodyKind.Buffer && plan.SendsBody)
        {
            // Headers and body into Kestrel's output buffer with no flush of our own: Kestrel flushes when the
            // request ends, so a plaintext response goes out in one send (and pipelined ones batch).
            var output = features.GetRequiredFeature<IHttpResponseBodyFeature>();
            await output.StartAsync();
            output.Writer.Write(body.Buffer.Span);
            return;
        }
        try
        {
            await ResponseBodyWriter.WriteAsync(body, plan, environ, environ.RequestAborted);
        }
        catch (ClientDisconnectedException ex)
        {
            HostLog.ClientWentAway(logger, ex, environ.RequestMethod, environ.PathInfo);
        }
        catch (Exception ex)
        {
            // Bytes may be out already: the only honest signal left is to drop the connection.
            HostLog.ApplicationFailedAfterStart(logger, ex, environ.RequestMethod, environ.PathInfo);
            features.GetRequiredFeature<IHttpRequestLifetimeFeature>().Abort();
        }
    }

    private static async Task RejectAsync(KestrelEnviron environ, RequestRejection reason)
    {
        var features = environ.Features;
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        if (response.HasStarted)
        {
            features.GetRequiredFeature<IHttpRequestLifetimeFeature>().Abort();
            return;
        }
        var body = RequestRejections.Body(reason);
        response.StatusCode = RequestRejections.Status(reason);
        response.Headers.Clear();
        response.Headers.ContentType = RequestRejections.ContentType;
        response.Headers.ContentLength = body.Length;
        response.Headers.Connection = "close";
        foreach (var (name, value) in RequestRejections.ExtraHeaders(reason))
            response.Headers.Append(name, value);
        await features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(body);
    }

    /// <summary>Kestrel reports a request body the client got wrong with its own exception: map it to the host kit's rejection.</summary>
    private static RequestRejection? Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => RequestRejection.BodyTooLarge,
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => RequestRejection.BodyTimeout,
        BadHttpRequestException bad when bad.Message.Contains("end of request content", StringComparison.OrdinalIgnoreCase) ||
                                         bad.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase) => RequestRejection.IncompleteBody,
        BadHttpRequestException => RequestRejection.InvalidChunkedBody,
        _ => null,
    };
}
