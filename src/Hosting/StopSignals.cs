using System.Runtime.InteropServices;

namespace HostKit.Hosting;

/// <summary>
/// How the signals this process receives become its graceful stop and its stop at once, in one place for the three
/// roles: a single server, a <c>--workers</c> supervisor, and one of its workers.
/// </summary>
/// <remarks>
/// <para>
/// A single server and a supervisor: the first SIGINT or SIGTERM stops gracefully, a second stops at once (like uvicorn).
/// A supervisor passes its graceful stop on to each worker as SIGTERM, and its stop at once as SIGQUIT.
/// </para>
/// <para>
/// A worker: SIGINT and SIGTERM, however many, only ever stop it gracefully; SIGQUIT stops it at once. A worker shares
/// its supervisor's process group, so a terminal's Ctrl+C (and <c>kill -INT -PGID</c>, and systemd's SIGTERM to the
/// whole control group) reaches it twice: once from the group and once forwarded by the supervisor. Counting signals
/// there would turn one Ctrl+C into a stop at once and drop every websocket with 1006. Ignoring a duplicate within a
/// short window would only move the race (a loaded machine forwards late), and not forwarding SIGINT would leave a
/// worker running when someone signals the supervisor alone. So the worker cannot tell a duplicate from a deliberate
/// second signal, and does not try: the deliberate decision is the supervisor's, which sees each signal once, and it
/// sends a different signal for it.
/// </para>
/// </remarks>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _force;
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    /// <param name="stop">Cancelled by the graceful stop.</param>
    /// <param name="force">Cancelled by the stop at once.</param>
    /// <param name="isWorker">This process is a worker of a <c>--workers</c> supervisor.</param>
    public StopSignals(CancellationTokenSource stop, CancellationTokenSource force, bool isWorker)
    {
        _stop = stop;
        _force = force;
        _registrations = isWorker
            ?
            [
                PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully),
                PosixSignalRegistration.Create(PosixSignal.SIGQUIT, StopAtOnce),
            ]
            :
            [
                PosixSignalRegistration.Create(PosixSignal.SIGINT, Count),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, Count),
            ];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }

    /// <summary>The first signal stops gracefully, a second stops at once.</summary>
    private void Count(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
            _stop.Cancel();
        else
            _force.Cancel();
    }

    private void StopGracefully(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    private void StopAtOnce(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
        _force.Cancel();
    }
}
