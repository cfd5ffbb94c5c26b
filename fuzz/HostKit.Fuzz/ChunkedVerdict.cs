using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>What <see cref="ChunkedReference"/> says a body comes to: complete (its payload and where it ends), refused and why, or cut short.</summary>
internal sealed record ChunkedVerdict(byte[]? Payload, long End, RequestRejection? Rejection)
{
    public static ChunkedVerdict Incomplete { get; } = new(null, -1, RequestRejection.IncompleteBody);

    public static ChunkedVerdict Complete(byte[] payload, long end) => new(payload, end, null);

    public static ChunkedVerdict Refused(RequestRejection reason) => new(null, -1, reason);
}
