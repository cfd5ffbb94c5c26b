namespace HostKit.Hosts;

/// <summary>What came of running the application for one request.</summary>
/// <param name="Body">The body it returned (default when it failed).</param>
/// <param name="Failure">The exception it threw, or the rule it broke; null on success.</param>
public readonly record struct ApplicationResult(Body Body, Exception? Failure);

/// <summary>
/// Runs the application for one request the same way on every host: exceptions are caught (the
/// host decides between a 500, an abort, or a 1011), and an application that returns without
/// calling <see cref="StartResponse"/> (and without accepting a websocket) is a failure too.
/// </summary>
public static class ApplicationInvoker
{
    /// <summary>Calls <paramref name="application"/> with <paramref name="head"/>'s <see cref="ResponseHead.Start"/>.</summary>
    public static async ValueTask<ApplicationResult> InvokeAsync(Application application, Environ environ, ResponseHead head)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(environ);
        ArgumentNullException.ThrowIfNull(head);
        try
        {
            var body = await application(environ, head.Start);
            if (!head.IsStarted && environ.WebSocket?.IsAccepted != true)
                return new ApplicationResult(body, new InvalidOperationException("The application returned without calling startResponse."));
            return new ApplicationResult(body, null);
        }
        catch (Exception ex)
        {
            return new ApplicationResult(default, ex);
        }
    }
}
