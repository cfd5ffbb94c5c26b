namespace HostKit.Hosts.Raw.Http;

/// <summary>
/// Thrown from the request body stream when the client's body breaks the rules (malformed chunk,
/// over the size limit, cut short). The connection answers with <see cref="Error"/>'s status, not 500.
/// </summary>
internal sealed class BadRequestException(HttpError error) : IOException($"{error.Status}: {error.Reason}")
{
    public HttpError Error { get; } = error;
}
