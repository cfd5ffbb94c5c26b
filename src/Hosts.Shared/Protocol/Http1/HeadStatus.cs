namespace HostKit.Hosts.Protocol;

/// <summary>What reading a request head came to.</summary>
public enum HeadStatus
{
    /// <summary>The head is not complete yet: read more and call again from where this call stopped.</summary>
    NeedMore,

    /// <summary>A whole request head was read.</summary>
    Complete,

    /// <summary>The bytes are not a request this server will serve: answer with the rejection and close.</summary>
    Rejected,
}
