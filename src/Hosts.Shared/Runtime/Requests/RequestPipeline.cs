using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// What every host does with the application's result, once: finish an accepted websocket, answer a
/// refused request, turn a failure into the 500, plan the response and send it, and blame a failure
/// while sending on the right side (the application's body: logged and aborted; a client that left:
/// logged at debug). Hosts call <see cref="ApplicationInvoker.InvokeAsync"/>, then this; a host whose engine parses HTTP
/// calls <see cref="ServeAsync"/>, which takes every step of a request from the kit's refusals to the answer.
/// </summary>
public static class RequestPipeline
{
    /// <summary>
    /// The steps of one request on a host whose engine parses HTTP itself (Kestrel, HttpListener), in the order every host
    /// takes them: a request the engine let through but the kit's rules forbid (<paramref name="refusal"/>: its framing, a
    /// size) is refused; then the websocket offer step (<paramref name="offer"/>), whose bad handshake is refused too; then the
    /// application runs (<see cref="ApplicationInvoker.InvokeAsync"/>) and is answered (<see cref="AnswerAsync"/>). Each refusal
    /// goes through <see cref="HostRuntime.RefuseAsync"/>. The engine only translates: its request (<paramref name="environ"/>),
    /// its response, its upgrade. The pipe hosts' loop (<c>Http1PipeConnection</c>) takes the same steps between its reads.
    /// </summary>
    /// <param name="runtime">The server.</param>
    /// <param name="environ">The request as the engine parsed it; it is given the upgrade the offer step made.</param>
    /// <param name="head">Collects the application's status and headers (and the upgrade's, for a websocket).</param>
    /// <param name="response">The engine's response.</param>
    /// <param name="refusal">A rule of the kit the request breaks and the engine does not check (its framing, a size limit), or null.</param>
    /// <param name="state">What <paramref name="offer"/> needs of the host (a static lambda and its state allocate nothing).</param>
    /// <param name="offer">The engine's websocket offer step: <see cref="WebSocketOffer.For"/> or <see cref="WebSocketOffer.ForExtendedConnect"/>, with its upgrade.</param>
    /// <param name="classify">The engine's classification of its own request body errors (<see cref="ApplicationInvoker.InvokeAsync"/>), or null.</param>
    public static async ValueTask ServeAsync<TResponse, TState>(HostRuntime runtime, EngineEnviron environ, ResponseHead head, TResponse response,
        RequestRejection? refusal, TState state, Func<TState, WebSocketOffer> offer, Func<Exception, RequestRejection?>? classify = null)
        where TResponse : IHostResponse
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(environ);
        ArgumentNullException.ThrowIfNull(offer);
        // An engine that reuses its environ (Kestrel's, one per connection) must not keep the last request's upgrade.
        environ.Offer(null);
        if (refusal is { } forbidden)
        {
            await runtime.RefuseAsync(forbidden, response);
            return;
        }
        var offered = offer(state);
        if (offered.Refusal is { } badHandshake)
        {
            await runtime.RefuseAsync(badHandshake, response);
            return;
        }
        environ.Offer(offered.Upgrade);
        var result = await ApplicationInvoker.InvokeAsync(runtime, environ, head, classify);
        await AnswerAsync(runtime, result, environ, head, response);
    }

    /// <summary>Carries out <paramref name="result"/> on <paramref name="response"/>, and ends the request <see cref="ApplicationInvoker.InvokeAsync"/> started.</summary>
    /// <returns>The plan of the response sent whole, or null when there was none (a websocket, a refusal, an aborted response): the connection then closes.</returns>
    public static async ValueTask<ResponsePlan?> AnswerAsync<TResponse>(HostRuntime runtime, ApplicationResult result, Environ environ, ResponseHead head, TResponse response)
        where TResponse : IHostResponse
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(environ);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(response);
        if (result.Outcome == ApplicationOutcome.WebSocket)
        {
            await FinishWebSocketAsync(runtime, result, environ);
            return null;
        }
        var status = 0;
        ResponsePlan? plan = null;
        try
        {
            plan = await AnswerCoreAsync(runtime, result, environ, head, response);
            status = plan is null ? 0 : head.Status;
            return plan;
        }
        finally
        {
            if (result.Outcome == ApplicationOutcome.Reject)
                status = RequestRejections.Status(result.Rejection!.Value);
            runtime.Activity.RequestEnded();
            runtime.Metrics.RequestEnded(status, result.Environ ?? environ);
            RequestTracing.Stop(result.Activity, status);
            if (result.StartTimestamp != 0)
            {
                var seen = result.Environ ?? environ;
                runtime.Metrics.RequestAnswered(seen.RequestMethod, seen.UrlScheme, seen.ServerProtocol, status,
                    System.Diagnostics.Stopwatch.GetElapsedTime(result.StartTimestamp).TotalSeconds);
                runtime.AccessLog?.Write(seen, status, BodyBytes(plan), result.StartTimestamp);
            }
        }
    }

    /// <summary>
    /// What <see cref="AnswerAsync"/> does for an <see cref="ApplicationOutcome.WebSocket"/> result, for a host that
    /// no longer has its HTTP response machinery once the connection switched protocols: closes and forgets the
    /// websocket, and ends the request.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="result"/> is not a websocket's.</exception>
    public static async ValueTask FinishWebSocketAsync(HostRuntime runtime, ApplicationResult result, Environ environ)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(environ);
        if (result is not { Outcome: ApplicationOutcome.WebSocket, WebSocket: { } upgrade })
            throw new ArgumentException($"Only a websocket's result is finished here, not {result.Outcome}.", nameof(result));
        try
        {
            await upgrade.FinishAsync(result);
        }
        finally
        {
            // A websocket stopped counting as a request when it was accepted; it is no response (status 0).
            runtime.Metrics.RequestEnded(0, result.Environ ?? environ);
            RequestTracing.Stop(result.Activity, 101);
            // Its access log line comes now, when the session is over: status 101, the whole session's duration.
            if (result.WebSocketRequest is { } request)
                runtime.AccessLog?.Write(request, 101, -1, result.StartTimestamp);
        }
    }

    /// <summary>
    /// Writes the answer to a refused request as every response is written: <paramref name="response"/>'s
    /// <see cref="IHostResponse.StartAsync"/> with <see cref="RequestRejections"/>' head, plan (<c>Connection: close</c>) and body,
    /// then <see cref="IHostResponse.CompleteAsync"/>; when the client is gone (<see cref="ClientDisconnectedException"/>), the
    /// connection is aborted, as a failed response's is. An engine's <see cref="IHostResponse.RejectAsync"/> calls it, and adds
    /// only what its engine needs around it (a check that nothing was sent yet).
    /// </summary>
    public static async ValueTask WriteRefusalAsync<TResponse>(TResponse response, RequestRejection reason)
        where TResponse : IHostResponse
    {
        ArgumentNullException.ThrowIfNull(response);
        var plan = RequestRejections.Plan(reason);
        try
        {
            await response.StartAsync(RequestRejections.Head(reason), plan, RequestRejections.Body(reason));
            await response.CompleteAsync(plan);
        }
        catch (ClientDisconnectedException)
        {
            // No one to answer: the refusal was counted, and the connection goes.
            response.Abort();
        }
    }

    /// <summary>The body length a sent response had, when the plan knew it: 0 when none was sent, -1 for a streamed body of unknown length or no response.</summary>
    private static long BodyBytes(ResponsePlan? plan) => plan switch
    {
        null => -1,
        { SendsBody: false } => 0,
        { ContentLength: { } length } => length,
        _ => -1,
    };

    private static async ValueTask<ResponsePlan?> AnswerCoreAsync<TResponse>(HostRuntime runtime, ApplicationResult result, Environ environ, ResponseHead head, TResponse response)
        where TResponse : IHostResponse
    {
        var logger = runtime.Logger;
        var body = result.Body;
        switch (result.Outcome)
        {
            case ApplicationOutcome.Reject:
                await runtime.RefuseAsync(result.Rejection!.Value, response);
                return null;
            case ApplicationOutcome.Fail:
                head.Set(500, HostResponses.ContentType);
                body = Body.Of(HostResponses.InternalErrorBody);
                break;
        }

        var plan = ResponsePlan.For(response.Request, head, body);
        var whole = body.Kind == BodyKind.Buffer && plan.SendsBody;
        try
        {
            await response.StartAsync(head, plan, whole ? body.Buffer : default);
            if (!whole)
                await ResponseBodyWriter.WriteAsync(body, plan, response, environ.RequestAborted);
            await response.CompleteAsync(plan);
            return plan;
        }
        catch (ClientDisconnectedException ex)
        {
            HostLog.ClientWentAway(logger, ex, environ.RequestMethod, environ.PathInfo);
        }
        catch (Exception ex) when (ApplicationInvoker.BodyRejection(ex, result.ClassifyBodyError) is { } rejection)
        {
            // The body being sent reads the request body (an echo), which the client broke (cut it short): its error, not
            // the application's, counted as a refusal; the response may have begun, so the connection is dropped, not answered.
            HostLog.RequestRefused(logger, ex, environ.RequestMethod, environ.PathInfo, RequestRejections.Status(rejection));
            runtime.Rejected(rejection);
        }
        catch (Exception ex)
        {
            // Bytes may be out already: the only honest signal left is to drop the connection.
            HostLog.ApplicationFailedAfterStart(logger, ex, environ.RequestMethod, environ.PathInfo);
        }
        response.Abort();
        return null;
    }
}
