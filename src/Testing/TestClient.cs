using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using HostKit.Hosts;
using HostKit.Testing.Http;
using HostKit.Testing.WebSockets;
using Microsoft.Extensions.Logging;

namespace HostKit.Testing;

/// <summary>
/// Runs a HostKit application in memory, with no sockets, for tests: send requests, open websockets,
/// and see what the application answers, with the same <see cref="Environ"/> and <see cref="IWebSocket"/>
/// semantics as a real host (500 and a log entry on an exception, 1000/1011 at a handler's end, 1009...).
/// </summary>
/// <example>
/// <code>
/// await using var client = new TestClient(DemoApp.Create());
/// var response = await client.GetAsync("/plaintext");
/// Assert.Equal("Hello, World!", response.Text);
/// using var socket = await client.ConnectWebSocketAsync("/ws/echo");
/// </code>
/// </example>
public sealed class TestClient : IAsyncDisposable
{
    /// <summary>The address requests appear to go to.</summary>
    public static readonly Uri BaseAddress = new("http://memory.test/");

    private readonly HostRuntime _runtime;
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _stopGate = new();
    private Task? _stop;

    /// <summary>Creates a client for <paramref name="application"/>.</summary>
    /// <param name="application">The application under test.</param>
    /// <param name="options">Websocket settings, limits and the logger factory; <see cref="ServerOptions.Urls"/> is ignored.</param>
    public TestClient(Application application, ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        _runtime = new HostRuntime(InMemoryHost.HostName, application, options ?? new ServerOptions());
    }

    /// <summary>An <see cref="HttpMessageHandler"/> that sends requests to the application, for code that wants an <see cref="HttpClient"/>.</summary>
    public HttpMessageHandler CreateHandler() => new InMemoryHandler(this);

    /// <summary>An <see cref="HttpClient"/> whose requests go to the application, with <see cref="BaseAddress"/> set.</summary>
    public HttpClient CreateHttpClient() => new(CreateHandler()) { BaseAddress = BaseAddress };

    /// <summary>Sends a GET.</summary>
    public Task<TestResponse> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        SendAsync("GET", pathAndQuery, cancellationToken: cancellationToken);

    /// <summary>Sends a POST with a text body.</summary>
    public Task<TestResponse> PostAsync(string pathAndQuery, string body, string contentType = "text/plain; charset=utf-8", CancellationToken cancellationToken = default) =>
        SendAsync("POST", pathAndQuery, Encoding.UTF8.GetBytes(body), contentType, cancellationToken: cancellationToken);

    /// <summary>Sends a POST with a binary body.</summary>
    public Task<TestResponse> PostAsync(string pathAndQuery, byte[] body, string contentType = "application/octet-stream", CancellationToken cancellationToken = default) =>
        SendAsync("POST", pathAndQuery, body, contentType, cancellationToken: cancellationToken);

    /// <summary>Sends any request.</summary>
    /// <param name="method">The method, e.g. <c>PUT</c>.</param>
    /// <param name="pathAndQuery">The target, e.g. <c>/items?id=1</c>.</param>
    /// <param name="body">The request body; none when empty.</param>
    /// <param name="contentType">The body's Content-Type, if any.</param>
    /// <param name="headers">More request headers.</param>
    /// <param name="cancellationToken">Becomes the request's <see cref="Environ.RequestAborted"/>.</param>
    public async Task<TestResponse> SendAsync(string method, string pathAndQuery, byte[]? body = null, string? contentType = null,
        IEnumerable<(string Name, string Value)>? headers = null, CancellationToken cancellationToken = default)
    {
        var all = (headers ?? []).Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList();
        if (contentType is not null)
            all.Add(KeyValuePair.Create("Content-Type", contentType));
        if (body is { Length: > 0 })
            all.Add(KeyValuePair.Create("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var environ = new TestEnviron(method, Resolve(pathAndQuery), pathAndQuery, all, new MemoryStream(body ?? [], writable: false), body?.Length > 0 ? body.Length : null, null, cancellationToken);
        return (await RunAsync(environ, null))!;
    }

    /// <summary>
    /// Opens a websocket to <paramref name="pathAndQuery"/>. Returns the client's end once the application
    /// accepts; the application runs in the background for the socket's life.
    /// </summary>
    /// <exception cref="WebSocketUpgradeRefusedException">The application answered with an HTTP status instead.</exception>
    public async Task<WebSocket> ConnectWebSocketAsync(string pathAndQuery, IEnumerable<string>? subProtocols = null, CancellationToken cancellationToken = default)
    {
        var offered = subProtocols?.ToList() ?? [];
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Version", "13"),
            new("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))),
        };
        if (offered.Count > 0)
            headers.Add(new("Sec-WebSocket-Protocol", string.Join(", ", offered)));
        var upgrade = new TestUpgrade(offered, new ResponseHead(), _runtime);
        var environ = new TestEnviron("GET", Resolve(pathAndQuery), pathAndQuery, headers, Stream.Null, null, upgrade, _stopping.Token);

        var application = RunAsync(environ, upgrade);
        await Task.WhenAny(upgrade.Client, application).WaitAsync(cancellationToken);
        if (upgrade.Client.IsCompletedSuccessfully)
            return upgrade.Client.Result;
        var refusal = await application;
        throw new WebSocketUpgradeRefusedException(refusal!.Status, refusal.Text);
    }

    /// <summary>
    /// Stops as a socket host stops (<see cref="GracefulStop"/>): new requests and upgrades are refused with 503,
    /// requests in flight finish (up to the shutdown timeout), open websockets get 1001, then what is left is abandoned.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
            return _stop ??= GracefulStop.RunAsync(_runtime, () => Task.CompletedTask, RequestsFinishedAsync, AbandonRemainingAsync, cancellationToken);
    }

    /// <summary>Each request's outcome was already given to its caller: wait for them, don't rethrow.</summary>
    private Task RequestsFinishedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_running.Keys).ContinueWith(static _ => { }, TaskScheduler.Default).WaitAsync(cancellationToken);

    private async Task AbandonRemainingAsync()
    {
        await _stopping.CancelAsync();
        // Each request's outcome was already given to its caller: wait for them briefly, don't rethrow.
        await Task.WhenAll(_running.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    /// <summary>Runs the application for one request; null when it became a websocket.</summary>
    internal Task<TestResponse?> RunAsync(TestEnviron environ, TestUpgrade? upgrade)
    {
        var task = InvokeAsync(environ, upgrade);
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    private async Task<TestResponse?> InvokeAsync(TestEnviron environ, TestUpgrade? upgrade)
    {
        await Task.Yield();
        var head = upgrade?.Head ?? new ResponseHead();
        var result = await ApplicationInvoker.InvokeAsync(_runtime, environ, head);
        if (result.Outcome == ApplicationOutcome.WebSocket)
        {
            await RequestPipeline.AnswerAsync(_runtime, result, environ, head, new MemoryResponse(isHead: false));
            return null;
        }
        var response = new MemoryResponse(environ.RequestMethod == "HEAD");
        await RequestPipeline.AnswerAsync(_runtime, result, environ, head, response);
        if (response.Aborted)
            throw new IOException("The application failed after its response started (see the log); a socket host would abort the connection.");
        return response.ToTestResponse();
    }

    private static Uri Resolve(string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        if (!pathAndQuery.StartsWith('/'))
            throw new ArgumentException($"A request target starts with '/': '{pathAndQuery}'.", nameof(pathAndQuery));
        return new Uri(BaseAddress, pathAndQuery);
    }
}
