namespace HostKit.Hosts;

/// <summary>
/// What a failed accept means to <see cref="AcceptLoop"/>. The loop decides it for sockets; an engine whose accept gives
/// something else (HttpListener's request context) says it through the classifier it hands the loop.
/// </summary>
public enum AcceptFailure
{
    /// <summary>The server stopped and closed its listener: the loop ends.</summary>
    Stopped,

    /// <summary>
    /// No file descriptor was free (EMFILE, ENFILE): the next accept fails the same way until connections close, so the
    /// loop logs a line once per interval, without a stack, and waits (<see cref="AcceptLoop.BackOffAsync(Runtime.HostRuntime)"/>).
    /// </summary>
    OutOfDescriptors,

    /// <summary>One connection failed between its SYN and the accept (a reset), or the engine failed one: logged, and the next is accepted at once.</summary>
    ConnectionFailed,

    /// <summary>
    /// A failure the engine does not explain: logged with its stack, then the loop waits as long as out of descriptors,
    /// since it may fail the same way at once (an assembly that could not load for want of a descriptor).
    /// </summary>
    Unexplained,
}
