namespace HostKit.Hosts.Protocol;

/// <summary>
/// A stream or chunk body yielded fewer or more bytes than its declared length. Bytes are already on
/// the wire, so the only honest answer is to abort the connection; the host logs this as the
/// application's failure.
/// </summary>
public sealed class ResponseBodyLengthException(string message) : InvalidOperationException(message);
