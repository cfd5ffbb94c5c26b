namespace HostKit.Hosts;

/// <summary>A host could not start: bad or unavailable address, unknown host name, missing capability.</summary>
public sealed class HostStartException : Exception
{
    /// <summary>Creates the exception with a message meant for the person starting the server.</summary>
    public HostStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
