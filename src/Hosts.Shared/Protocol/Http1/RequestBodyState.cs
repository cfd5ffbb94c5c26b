namespace HostKit.Hosts.Protocol;

/// <summary>
/// Where the current request's body is, beside the connection's <see cref="Http1Phase"/> (h11 keeps the
/// client's side apart from the server's the same way). One value instead of three flags: the body is
/// complete, being read, held back by a client waiting for <c>100 Continue</c>, or refused.
/// </summary>
internal enum RequestBodyState
{
    /// <summary>No body, or all of it read.</summary>
    Complete,

    /// <summary>Bytes of the body are still to come.</summary>
    Reading,

    /// <summary>The client waits for <c>100 Continue</c> before it sends its body, and the response has not started.</summary>
    AwaitingContinue,

    /// <summary>The body (or the request) was refused: its end is unknown, and it stays refused.</summary>
    Refused,
}
