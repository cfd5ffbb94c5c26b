namespace HostKit.Hosts.Raw.Http;

/// <summary>Why a request was rejected: the status to answer with and a short reason for the body. The connection closes after it.</summary>
internal readonly record struct HttpError(int Status, string Reason)
{
    public static HttpError BadRequest(string reason) => new(400, reason);
}
