namespace HostKit.Hosts.Protocol;

/// <summary>
/// Thrown from a request body the client got wrong (malformed chunks, over the size limit, cut
/// short). It is an <see cref="IOException"/>, as a failed read is. If the application lets it
/// escape, the host answers with the rejection's status and text rather than a 500; whatever the
/// application does, the connection closes after the response, since the body's end is unknown.
/// </summary>
public sealed class RequestRejectedException : IOException
{
    /// <summary>Creates the exception for <paramref name="reason"/>, with an optional detail for the log.</summary>
    public RequestRejectedException(RequestRejection reason, string? detail = null, Exception? innerException = null)
        : base(detail is null ? RequestRejections.Text(reason) : $"{RequestRejections.Text(reason)}: {detail}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the request was refused.</summary>
    public RequestRejection Reason { get; }

    /// <summary>The status the client gets.</summary>
    public int Status => RequestRejections.Status(Reason);
}
