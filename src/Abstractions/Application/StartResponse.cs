namespace HostKit;

/// <summary>
/// Sets the response status and headers, like WSGI's <c>start_response</c>.
/// </summary>
/// <remarks>
/// The host copies the headers before this returns, so a collection expression such as
/// <c>start(200, [("Content-Type", "text/plain")])</c> costs no heap allocation.
/// <c>Content-Length</c> and <c>Transfer-Encoding</c> are the host's business: it derives them
/// from the <see cref="Body"/>. Calling this twice replaces the first call, as long as the
/// application has not yet returned its body.
/// </remarks>
/// <param name="status">The HTTP status code, 100 to 999.</param>
/// <param name="headers">Response headers as (name, value) pairs; a name may repeat.</param>
/// <exception cref="ArgumentException">A status out of range, or a header name or value that is not valid HTTP (for example a value containing CR or LF).</exception>
public delegate void StartResponse(int status, ReadOnlySpan<(string Name, string Value)> headers);
