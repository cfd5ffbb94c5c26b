namespace HostKit.Chat.Backplane;

/// <summary>
/// The backplane could not be reached, so an event was not stored, or, when <see cref="OutcomeUnknown"/> is true, may or may
/// not have been (the request went out and no answer came). The sender gets an <c>error</c> event saying which.
/// </summary>
public sealed class ChatBackplaneUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatBackplaneUnavailableException()
        : this("The chat backplane is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message for people.</summary>
    public ChatBackplaneUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception, saying whether the event may have been stored after all.</summary>
    public ChatBackplaneUnavailableException(string message, Exception? innerException, bool outcomeUnknown)
        : base(message, innerException) => OutcomeUnknown = outcomeUnknown;

    /// <summary>
    /// True when the request reached the backplane (or may have) and no answer came in time: the event may be stored,
    /// and a resend with the same <c>cid</c> is how to find out. False: it was certainly not stored.
    /// </summary>
    public bool OutcomeUnknown { get; }
}
