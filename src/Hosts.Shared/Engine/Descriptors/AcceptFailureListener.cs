using System.Diagnostics.Tracing;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace HostKit.Hosts;

/// <summary>
/// Hears of every accept that fails for want of file descriptors, in this process, on the thread that failed, before it
/// tries again: the runtime's <c>System.Net.Sockets</c> telemetry raises <c>AcceptFailed</c> synchronously, and it is the
/// only hook into an accept loop the engine owns. Enabled at <see cref="EventLevel.Error"/> only, so no event is written
/// for a successful accept.
/// </summary>
internal sealed class AcceptFailureListener : EventListener
{
    private const string SocketsEventSource = "System.Net.Sockets";

    // Set after the base constructor, which may already report the event source (and so call OnEventSourceCreated).
    private Action? _outOfDescriptors;

    public AcceptFailureListener(Action outOfDescriptors) => _outOfDescriptors = outOfDescriptors;

    public override void Dispose()
    {
        _outOfDescriptors = null;
        base.Dispose();
    }

    /// <summary>Compiles the handler ahead of the first failure, when compiling might need a descriptor there is none of.</summary>
    public static void CompileHandler() =>
        RuntimeHelpers.PrepareMethod(typeof(AcceptFailureListener).GetMethod(nameof(OnEventWritten), BindingFlags.Instance | BindingFlags.NonPublic)!.MethodHandle);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SocketsEventSource)
            EnableEvents(eventSource, EventLevel.Error);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "AcceptFailed" || eventData.Payload is not [var error, ..])
            return;
        // EMFILE (this process) and ENFILE (the whole system) both map to TooManyOpenSockets.
        if (Convert.ToInt32(error, System.Globalization.CultureInfo.InvariantCulture) == (int)SocketError.TooManyOpenSockets)
            _outOfDescriptors?.Invoke();
    }
}
