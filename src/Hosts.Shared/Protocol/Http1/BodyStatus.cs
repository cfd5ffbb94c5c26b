namespace HostKit.Hosts.Protocol;

/// <summary>What reading the request body came to.</summary>
public enum BodyStatus
{
    /// <summary>Body bytes were copied out.</summary>
    Data,

    /// <summary>No body bytes in the input yet: read more.</summary>
    NeedMore,

    /// <summary>The body is over (its length reached, or the last chunk and trailers read).</summary>
    Complete,

    /// <summary>The body broke the rules; <see cref="Http1Protocol.Rejection"/> says how. It stays so.</summary>
    Rejected,
}
