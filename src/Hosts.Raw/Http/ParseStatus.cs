namespace HostKit.Hosts.Raw.Http;

/// <summary>What the parser made of the bytes it was given.</summary>
internal enum ParseStatus
{
    /// <summary>A whole request head was parsed.</summary>
    Complete,

    /// <summary>The head is not complete yet: read more and call again with everything buffered.</summary>
    NeedMore,

    /// <summary>The bytes are not a request this server will serve; answer with the error and close.</summary>
    Error,
}
