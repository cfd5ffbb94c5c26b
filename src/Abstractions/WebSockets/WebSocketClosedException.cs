using System.Net.WebSockets;

namespace HostKit;

/// <summary>
/// Thrown by <see cref="IWebSocket.SendAsync"/> when the socket is already closed or closing,
/// whichever side closed it. Carries the close status, if one was seen.
/// </summary>
public sealed class WebSocketClosedException : InvalidOperationException
{
    /// <summary>Creates the exception for a socket that closed with <paramref name="closeStatus"/>.</summary>
    public WebSocketClosedException(WebSocketCloseStatus? closeStatus, string? closeStatusDescription)
        : base($"The websocket is closed (status {(closeStatus is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}{(string.IsNullOrEmpty(closeStatusDescription) ? "" : $": {closeStatusDescription}")}).")
    {
        CloseStatus = closeStatus;
        CloseStatusDescription = closeStatusDescription;
    }

    /// <summary>The close status the socket ended with; 1006 when the connection dropped without a close frame.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }

    /// <summary>The close reason, if any.</summary>
    public string? CloseStatusDescription { get; }
}
