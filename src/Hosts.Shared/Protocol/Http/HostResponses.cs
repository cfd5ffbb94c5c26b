namespace HostKit.Hosts.Protocol;

/// <summary>The responses a host makes itself rather than the application, the same bytes on every host.</summary>
public static class HostResponses
{
    /// <summary>The content type of every response the host makes.</summary>
    public const string ContentType = "text/plain; charset=utf-8";

    /// <summary>The body of the 500 after the application failed before its response started; the details are in the server log, never on the wire.</summary>
    public static ReadOnlyMemory<byte> InternalErrorBody { get; } = "500 Internal Server Error: the application failed; see the server log\n"u8.ToArray();
}
