using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>What came of running the application for one request, and so what the host does next.</summary>
public enum ApplicationOutcome
{
    /// <summary>The application answered: plan the response (<see cref="ResponsePlan"/>) and send it.</summary>
    Respond,

    /// <summary>The application accepted a websocket: finish it (<see cref="HostWebSocketUpgrade.FinishAsync"/>); there is no HTTP response.</summary>
    WebSocket,

    /// <summary>The client's request body broke the rules and the application let the error escape: answer <see cref="ApplicationResult.Rejection"/> and close.</summary>
    Reject,

    /// <summary>The application failed before its response started (logged): answer 500 and keep serving.</summary>
    Fail,
}

/// <summary>What came of running the application for one request.</summary>
/// <param name="Outcome">What the host does next.</param>
/// <param name="Body">The body it returned (default when it failed).</param>
/// <param name="Failure">The exception it threw, or the rule it broke; null on success.</param>
/// <param name="Rejection">For <see cref="ApplicationOutcome.Reject"/>, why the request is refused.</param>
public readonly record struct ApplicationResult(ApplicationOutcome Outcome, Body Body, Exception? Failure, RequestRejection? Rejection = null)
{
    /// <summary>The environ the application was given (the host's, or the request as a trusted proxy describes it: <see cref="ProxyHeaders"/>); null when the application was not called.</summary>
    public Environ? Environ { get; init; }

    /// <summary>When the request started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), or 0 when nothing wanted its duration (<see cref="HostRuntime.TimesRequests"/>).</summary>
    public long StartTimestamp { get; init; }

    /// <summary>
    /// For a request that offered a websocket while the access log is on: its fields, read before the application ran,
    /// since an engine may let go of the request (HttpListener its peer's address) before the session ends and is logged.
    /// </summary>
    internal AccessLogRequest? WebSocketRequest { get; init; }

    /// <summary>For <see cref="ApplicationOutcome.WebSocket"/>, the upgrade the application accepted, which <see cref="RequestPipeline.FinishWebSocketAsync"/> finishes.</summary>
    public HostWebSocketUpgrade? WebSocket { get; init; }

    /// <summary>The request's activity (<see cref="RequestTracing"/>), or null when nobody traces.</summary>
    public System.Diagnostics.Activity? Activity { get; init; }

    /// <summary>The engine's classification of its request body errors, for a response body that reads the request body (<see cref="ApplicationInvoker.BodyRejection"/>).</summary>
    internal Func<Exception, RequestRejection?>? ClassifyBodyError { get; init; }
}

/// <summary>
/// Runs the application for one request the same way on every host, and decides the fault rules
/// once: an exception becomes a logged 500, an application that returns without calling
/// <see cref="StartResponse"/> (and without accepting a websocket) is a failure too, and a bad request
/// body that escapes the application is answered as the client's error, not a 500.
/// </summary>
public static class ApplicationInvoker
{
    /// <summary>
    /// Calls the application with <paramref name="head"/>'s <see cref="ResponseHead.Start"/>, counting the request
    /// in flight until <see cref="RequestPipeline.AnswerAsync"/> is done with it. While the server stops, the
    /// application is not called: the request is refused (503).
    /// </summary>
    /// <param name="runtime">The server: its application, logger, activity.</param>
    /// <param name="environ">The request.</param>
    /// <param name="head">Collects the status and headers.</param>
    /// <exception cref="ArgumentException"><paramref name="environ"/> offers a websocket upgrade the host kit did not make (not a <see cref="HostWebSocketUpgrade"/>).</exception>
    /// <param name="classify">
    /// For engines that report a bad request body with an exception of their own (Kestrel's
    /// <c>BadHttpRequestException</c>): the rejection it stands for, or null. <see cref="RequestRejectedException"/> needs none.
    /// </param>
    public static async ValueTask<ApplicationResult> InvokeAsync(HostRuntime runtime, Environ environ, ResponseHead head,
        Func<Exception, RequestRejection?>? classify = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(environ);
        ArgumentNullException.ThrowIfNull(head);
        var upgrade = OfferedUpgrade(environ);
        var started = runtime.TimesRequests ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        runtime.Activity.RequestStarted();
        // Before the stop check, so a refused request is counted with the same tags it is uncounted with (AnswerAsync).
        var seen = ProxyHeaders.Apply(environ, runtime.Options.ForwardedAllowIps);
        runtime.Metrics.RequestStarted(seen);
        if (runtime.Activity.IsStopping)
            return new ApplicationResult(ApplicationOutcome.Reject, default, null, RequestRejection.ServerStopping) { Environ = seen, StartTimestamp = started };
        var logged = started != 0 && environ.WebSocket is not null ? AccessLogRequest.From(seen) : null;
        var activity = RequestTracing.Start(seen);
        var logger = runtime.Logger;
        Body body = default;
        Exception? failure = null;
        try
        {
            body = await runtime.Application(seen, head.Start);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // An upgrade the application accepted but the host refused (the server is stopping) is no websocket.
        if (upgrade is { Session: not null })
            return new ApplicationResult(ApplicationOutcome.WebSocket, body, failure) { Environ = seen, StartTimestamp = started, WebSocketRequest = logged, Activity = activity, WebSocket = upgrade };
        if (failure is not null)
        {
            if (BodyRejection(failure, classify) is { } rejection)
            {
                HostLog.RequestRefused(logger, failure, environ.RequestMethod, environ.PathInfo, RequestRejections.Status(rejection));
                return new ApplicationResult(ApplicationOutcome.Reject, default, failure, rejection) { Environ = seen, StartTimestamp = started, Activity = activity };
            }
            HostLog.ApplicationFailed(logger, failure, environ.RequestMethod, environ.PathInfo);
            return new ApplicationResult(ApplicationOutcome.Fail, default, failure) { Environ = seen, StartTimestamp = started, Activity = activity };
        }
        if (!head.IsStarted)
        {
            failure = new InvalidOperationException("The application returned without calling startResponse.");
            HostLog.ApplicationFailed(logger, failure, environ.RequestMethod, environ.PathInfo);
            await ResponseBodyWriter.DiscardAsync(body);
            return new ApplicationResult(ApplicationOutcome.Fail, default, failure) { Environ = seen, StartTimestamp = started, Activity = activity };
        }
        return new ApplicationResult(ApplicationOutcome.Respond, body, null) { Environ = seen, StartTimestamp = started, Activity = activity, ClassifyBodyError = classify };
    }

    /// <summary>
    /// The rejection <paramref name="exception"/> stands for when it is a request body the client got wrong (the host kit's
    /// <see cref="RequestRejectedException"/>, or what the engine's <paramref name="classify"/> says of its own), else null:
    /// the client's error, not the application's, whether the application let it escape or the host met it sending a
    /// body that reads the request body.
    /// </summary>
    internal static RequestRejection? BodyRejection(Exception exception, Func<Exception, RequestRejection?>? classify) =>
        (exception as RequestRejectedException)?.Reason ?? classify?.Invoke(exception);

    /// <summary>
    /// The upgrade <paramref name="environ"/> offers, as the host kit made it (<see cref="WebSocketOffer.For"/>). One it did not
    /// make could be accepted but never finished (closed, untracked, its request never ended), so it is refused here,
    /// before the application runs, with the reason.
    /// </summary>
    /// <exception cref="ArgumentException">The environ offers an upgrade that is not a <see cref="HostWebSocketUpgrade"/>.</exception>
    private static HostWebSocketUpgrade? OfferedUpgrade(Environ environ) => environ.WebSocket switch
    {
        null => null,
        HostWebSocketUpgrade upgrade => upgrade,
        var other => throw new ArgumentException(
            $"The environ offers a websocket upgrade of type {other.GetType().FullName}, which the host kit cannot finish: a host offers an upgrade derived from {nameof(HostWebSocketUpgrade)} (made by {nameof(WebSocketOffer)}.{nameof(WebSocketOffer.For)}).",
            nameof(environ)),
    };
}
