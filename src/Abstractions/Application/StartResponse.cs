namespace HostKit;

/// <summary>
/// Sets the response status and headers, like WSGI's <c>start_response</c>.
/// </summary>
/// <remarks>
/// The host copies the headers before this returns, so a collection expression such as
/// <c>start(200, [("Content-Type", "text/plain")])</c> costs no heap allocation.
/// The framing headers follow one rule on every host: <c>Transfer-Encoding</c> is the host's and is
/// dropped; <c>Content-Length</c> is the body's length when the <see cref="Body"/> knows it, and
/// otherwise declares what a stream or chunk body will yield (exactly, or the connection is aborted);
/// <c>Connection: close</c> closes the connection after the response, any other <c>Connection</c> is dropped.
/// Calling this twice replaces the first call, as long as the application has not yet returned its body.
/// </remarks>
/// <param name="status">The HTTP status code, 200 to 999 (a host sends the 1xx interim responses itself).</param>
/// <param name="headers">Response headers as (name, value) pairs; a name may repeat.</param>
/// <exception cref="ArgumentException">A status out of range, a header name or value that is not valid HTTP (for example a value containing CR or LF), or a <c>Content-Length</c> that is not a number.</exception>
/// <exception cref="InvalidOperationException">The request was already upgraded to a websocket.</exception>
public delegate void StartResponse(int status, ReadOnlySpan<(string Name, string Value)> headers);
