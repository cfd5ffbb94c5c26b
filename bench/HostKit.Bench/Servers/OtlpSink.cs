using System.Globalization;
using System.Net;

namespace HostKit.Bench.Servers;

/// <summary>
/// Where the OpenTelemetry variants export: a collector that accepts every OTLP/HTTP POST with 200 and an empty body (an
/// empty protobuf is a valid "all accepted" response) and keeps only counts. It runs in the runner's process, off the
/// server's core, so the server pays what its exporter costs and nothing for a real collector's work. Started on the first
/// OpenTelemetry variant, stopped with the run.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _serving;
    private readonly byte[] _discard = new byte[64 * 1024];
    private long _traceExports;
    private long _metricExports;
    private long _bytes;

    private OtlpSink(HttpListener listener, Uri endpoint)
    {
        _listener = listener;
        Endpoint = endpoint;
        _serving = ServeAsync();
    }

    /// <summary>The base URL to give as <c>--otlp-endpoint</c>: http://127.0.0.1:PORT.</summary>
    public Uri Endpoint { get; }

    /// <summary>What it received so far, for the run's log line.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Interlocked.Read(ref _traceExports):N0} trace and {Interlocked.Read(ref _metricExports):N0} metric exports, {Interlocked.Read(ref _bytes) / 1e6:0.0} MB");

    /// <summary>Listens on a free port of 127.0.0.1 (HttpListener takes no port 0: a few picks, in case one is taken meanwhile).</summary>
    public static OtlpSink Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Pick();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            try
            {
                listener.Start();
                return new OtlpSink(listener, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "";
            long read = 0;
            for (int n; (n = await context.Request.InputStream.ReadAsync(_discard)) > 0;)
                read += n;
            Interlocked.Add(ref _bytes, read);
            if (path.EndsWith("/v1/traces", StringComparison.Ordinal))
                Interlocked.Increment(ref _traceExports);
            else if (path.EndsWith("/v1/metrics", StringComparison.Ordinal))
                Interlocked.Increment(ref _metricExports);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            // the exporter gave up on this one (its timeout, or the server stopped): nothing to answer
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the connection is gone already
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
