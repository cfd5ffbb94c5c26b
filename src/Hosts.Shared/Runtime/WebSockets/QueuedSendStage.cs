namespace HostKit.Hosts.Runtime;

/// <summary>Where a <see cref="QueuedSend"/> is in the <see cref="SendQueue"/>.</summary>
internal enum QueuedSendStage
{
    /// <summary>A <see cref="IWebSocket.SendAsync"/> that found no room: not accepted yet, not counted in <see cref="IWebSocket.BufferedBytes"/>.</summary>
    Waiting,

    /// <summary>Accepted and counted, behind the one being written.</summary>
    Queued,

    /// <summary>Handed to the engine; the engine cannot take back half a frame, so cancelling it now aborts the connection.</summary>
    Writing,

    /// <summary>Written, failed or cancelled: nothing may touch it but its owner's result.</summary>
    Done,
}
