namespace HostKit.Chat.Backplane;

/// <summary>The backplane could not be reached, so an event was not stored. The sender gets an <c>error</c> event.</summary>
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
}
