using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// The size limits of <see cref="HttpLimits"/>, enforced by the adapter: HttpListener has none of its
/// own below 64 KiB of headers, and none at all for the target or a declared body; and the target's
/// bytes, which it does not check. What HttpListener refuses itself, before the adapter sees the request,
/// it answers its own way (docs/limits.md).
/// </summary>
internal static class RequestSizeCheck
{
    /// <summary>The limit or rule <paramref name="request"/> breaks, or null.</summary>
    public static RequestRejection? Check(HttpListenerRequest request, HttpLimits limits)
    {
        // HttpListener reads a raw byte in the target as Latin-1 (café arrives as cafÃ©): refuse it as Kestrel and raw do.
        if (!RequestTarget.IsVisibleAscii(request.RawUrl))
            return RequestRejection.InvalidTarget;
        // METHOD SP target SP HTTP/1.1, as it came on the wire.
        var requestLine = request.HttpMethod.Length + 1 + (request.RawUrl?.Length ?? 0) + 1 + 8;
        if (requestLine > limits.MaxRequestLineBytes)
            return RequestRejection.RequestLineTooLong;
        var headers = request.Headers;
        if (headers.Count > limits.MaxRequestHeaderCount)
            return RequestRejection.TooManyHeaders;
        long bytes = 2; // the empty line that ends the head
        foreach (var name in headers.AllKeys)
        {
            if (name is not null)
                bytes += name.Length + 2 + (headers[name]?.Length ?? 0) + 2;
        }
        if (bytes > limits.MaxRequestHeadersBytes)
            return RequestRejection.HeadersTooLarge;
        if (request.ContentLength64 > limits.MaxRequestBodyBytes)
            return RequestRejection.BodyTooLarge;
        return null;
    }
}
