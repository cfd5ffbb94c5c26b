namespace HostKit.Chat;

/// <summary>Why a frame was refused.</summary>
internal enum ClientMessageProblem
{
    None,

    /// <summary>The text is over <see cref="ChatOptions.MaxMessageBytes"/>: closed with 1009.</summary>
    TooBig,

    /// <summary>A <c>cid</c> that is not 1 to 64 of <c>A-Z a-z 0-9 _ - . :</c>: refused with an <c>error</c>.</summary>
    BadCid,
}
