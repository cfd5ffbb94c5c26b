using System.Net.Sockets;
using HostKit.Engines.Uring;
using HostKit.Engines.Uring.Ring;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Uring;

/// <summary>A running uring host: the loop, one accept at a time per listener, the open connections, and the host kit's stop order.</summary>
internal sealed class UringServer : IRunningServer
{
    private readonly HostRuntime _runtime;
    private readonly UringLoop _loop;
    private readonly List<RingAccept> _accepts;
    private readonly ConnectionSet<Http1PipeConnection> _connections;
    private Task? _stopping;

    public UringServer(HostRuntime runtime, UringLoop loop, List<Socket> listeners, IReadOnlyList<Uri> addresses)
    {
        (_runtime, _loop, Addresses) = (runtime, loop, addresses);
        _connections = new ConnectionSet<Http1PipeConnection>(runtime);
        _accepts = [.. listeners.Select(l => new RingAccept(loop, l, Accepted, AcceptFailed, () => AcceptLoop.BackOffAsync(runtime)))];
        _accepts.ForEach(a => a.Start());
    }

    public IReadOnlyList<Uri> Addresses { get; }

    // On the loop's thread. Over the connection limit, refused (503) and closed at once, before the next completion:
    // refusals hold no descriptor.
    private void Accepted(int fd)
    {
        if (_connections.IsFull)
        {
            ConnectionRefusal.Refuse(new Socket(new SafeSocketHandle(fd, ownsHandle: true)), RequestRejection.TooManyConnections, _runtime);
            return;
        }
        var connection = UringConnection.Open(_loop, fd, _runtime);
        connection.Start();
        _connections.Add(connection); // after Start: the set follows the connection's run to its end
    }

    private void AcceptFailed(int errno) =>
        _runtime.Logger.LogWarning("The uring host's accept failed with errno {Errno}; it goes on accepting.", errno);

    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _stopping ??= StopInOrderAsync(cancellationToken);

    private async Task StopInOrderAsync(CancellationToken cancellationToken)
    {
        await GracefulStop.RunAsync(_runtime, () => _accepts.ForEach(a => a.Stop()), _connections, cancellationToken);
        // The listeners close on the loop once their accepts' cancels complete: wait for that before the loop ends, so
        // that a stopped server has freed its ports and unix socket files (a server started next on the same path in
        // this process found the old one still listening). Bounded: a ring that never answers must not hold the stop.
        try
        {
            await Task.WhenAll(_accepts.Select(a => a.Closed)).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            _runtime.Logger.LogWarning("The uring host's listeners did not close within 5 s of the stop; the loop ends anyway.");
        }
        _loop.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
