using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// HttpListener's own refusal of a POST or PUT that carries neither <c>Content-Length</c> nor a chunked body: it
/// answers 411 and closes the response before the adapter gets the request, which it hands over all the same. The
/// adapter recognises the shape and leaves the response alone (touching it threw <see cref="ObjectDisposedException"/>
/// into the log); the refusal is counted like any other (<see cref="RequestRejection.LengthRequired"/>). Kestrel and
/// raw read such a request as having an empty body (RFC 9112 section 6.3).
/// </summary>
internal static class EngineLengthRequired
{
    public static bool WasAnswered(HttpListenerRequest request) =>
        (string.Equals(request.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase) || string.Equals(request.HttpMethod, "PUT", StringComparison.OrdinalIgnoreCase))
        && request.Headers["Content-Length"] is null
        && request.Headers["Transfer-Encoding"] is null;
}
