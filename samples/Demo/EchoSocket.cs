namespace HostKit.Demo;

/// <summary><c>WS /ws/echo</c>: every message back, same type, same bytes.</summary>
internal static class EchoSocket
{
    public static async ValueTask HandleAsync(IWebSocket socket)
    {
        while (await socket.ReceiveAsync() is { } message)
            await socket.SendAsync(message);
    }
}
