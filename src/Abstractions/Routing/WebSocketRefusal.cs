namespace HostKit;

/// <summary>Why an upgrade is refused: the HTTP status and a short text body the client sees instead of 101.</summary>
/// <param name="Status">The status, e.g. 401, 403.</param>
/// <param name="Message">A short text explaining the refusal.</param>
public sealed record WebSocketRefusal(int Status, string Message);
