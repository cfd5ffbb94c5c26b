namespace HostKit.Testing;

/// <summary>The application answered a websocket upgrade with an HTTP response instead of accepting it.</summary>
public sealed class WebSocketUpgradeRefusedException(int status, string body)
    : Exception($"The websocket upgrade was refused with {status}: {body}")
{
    /// <summary>The status the application answered with.</summary>
    public int Status { get; } = status;

    /// <summary>The response body, as text.</summary>
    public string Body { get; } = body;
}
