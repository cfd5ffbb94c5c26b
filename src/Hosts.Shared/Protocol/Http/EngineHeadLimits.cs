namespace HostKit.Hosts.Protocol;

/// <summary>
/// The size limits of <see cref="HttpLimits"/> and the target's bytes, checked on a head an engine parsed itself without
/// enforcing them (HttpListener has no limit below 64 KiB of headers, and none for the target or a declared body): the same
/// rules, in the same order, as <see cref="HeadParser"/> applies to the bytes on hosts that parse with the kit.
/// </summary>
public static class EngineHeadLimits
{
    /// <summary>The limit or rule the head breaks, or null.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="rawTarget">The target as sent (not decoded), or null.</param>
    /// <param name="headers">The header fields, a repeated name once with its values joined.</param>
    /// <param name="contentLength">The declared body length, or null.</param>
    /// <param name="limits">The server's limits.</param>
    public static RequestRejection? Check(string method, string? rawTarget, IEnumerable<KeyValuePair<string, string>> headers, long? contentLength, HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(limits);
        // An engine that reads a raw byte in the target as Latin-1 (café arrives as cafÃ©): refused as the kit's parser refuses it.
        if (!RequestTarget.IsVisibleAscii(rawTarget))
            return RequestRejection.InvalidTarget;
        // METHOD SP target SP HTTP/1.1, as it came on the wire.
        var requestLine = method.Length + 1 + (rawTarget?.Length ?? 0) + 1 + 8;
        if (requestLine > limits.MaxRequestLineBytes)
            return RequestRejection.RequestLineTooLong;
        var (count, bytes) = (0, 2L); // the empty line that ends the head
        foreach (var (name, value) in headers)
        {
            count++;
            bytes += name.Length + 2 + value.Length + 2;
        }
        if (count > limits.MaxRequestHeaderCount)
            return RequestRejection.TooManyHeaders;
        if (bytes > limits.MaxRequestHeadersBytes)
            return RequestRejection.HeadersTooLarge;
        return contentLength > limits.MaxRequestBodyBytes ? RequestRejection.BodyTooLarge : null;
    }
}
