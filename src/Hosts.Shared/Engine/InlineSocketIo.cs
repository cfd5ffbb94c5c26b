namespace HostKit.Hosts;

/// <summary>
/// .NET's switch for running socket completions on the socket engine's own thread (epoll on Linux) rather than
/// queueing them to the thread pool: what <c>HostKit:UnsafeInlineIo</c> turns on, and what Kestrel's
/// <c>UnsafePreferInlineScheduling</c> asks to be paired with.
/// </summary>
/// <remarks>
/// The runtime reads the variable once, when the process first waits on a socket, so it must be set before
/// that (the runner sets it before it builds the application). While it is on, code that runs in a socket
/// completion and then blocks stalls every socket that thread serves: a host whose application runs there
/// must refuse synchronous reads (<see cref="Http1RequestBody.AllowSynchronousReads"/>).
/// </remarks>
public static class InlineSocketIo
{
    /// <summary>The environment variable the runtime reads: <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, on when <c>1</c>.</summary>
    public const string EnvironmentVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    // Read once, as the runtime reads it, rather than from the environment (a lock and a lookup) for every request body.
    private static bool s_enabled = Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    /// <summary>True when this process started with the variable set to <c>1</c>, or <see cref="Enable"/> set it.</summary>
    public static bool IsEnabled => Volatile.Read(ref s_enabled);

    /// <summary>Sets the variable for this process (and the processes it starts). Effective only before the first socket wait.</summary>
    public static void Enable()
    {
        Environment.SetEnvironmentVariable(EnvironmentVariable, "1");
        Volatile.Write(ref s_enabled, true);
    }

    /// <summary>What a host throws from a synchronous request body read while this is on: the same words on every host.</summary>
    public static NotSupportedException SynchronousReadRefused() =>
        new($"Synchronous reads of the request body are refused while {EnvironmentVariable}=1 (HostKit:UnsafeInlineIo): they would block the thread every connection's I/O runs on. Use ReadAsync.");
}
