namespace HostKit.Hosts.Protocol;

/// <summary>
/// Writing the response failed because the connection did (the client went away). Not the
/// application's fault: hosts log it at debug level, never as an application failure.
/// </summary>
public sealed class ClientDisconnectedException(Exception innerException)
    : IOException("The client went away while the response was being sent.", innerException);
