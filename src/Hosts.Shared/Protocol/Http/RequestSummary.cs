namespace HostKit.Hosts.Protocol;

/// <summary>What a <see cref="ResponsePlan"/> needs to know about the request it answers.</summary>
/// <param name="IsHead">The method is HEAD: the response has the GET's headers and no body.</param>
/// <param name="IsHttp11">The request is HTTP/1.1 (false for HTTP/1.0), which decides between chunked and close-delimited bodies.</param>
/// <param name="KeepAlive">
/// The connection may carry another request: the client did not send <c>Connection: close</c>
/// (HTTP/1.1) or sent <c>Connection: keep-alive</c> (HTTP/1.0), and the host has no reason of its own
/// to close (stopping, a request body it could not read to its end).
/// </param>
public readonly record struct RequestSummary(bool IsHead, bool IsHttp11, bool KeepAlive);
