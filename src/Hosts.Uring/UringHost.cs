using System.Net.Sockets;
using HostKit.Engines.Uring.Ring;
using HostKit.Hosts;

[assembly: ServerHost(typeof(HostKit.Hosts.Uring.UringHost), Order = 30)]

namespace HostKit.Hosts.Uring;

/// <summary>
/// The <c>uring</c> host (Linux): the host kit's HTTP/1.1 and websocket code, with bytes moved by io_uring
/// through its system calls: one ring and its loop thread, one accept at a time per address, a receive and a
/// send per connection, submitted together at each turn of the loop. Where the kernel refuses io_uring it
/// does not start, and says why.
/// </summary>
public sealed class UringHost : IServerHost
{
    internal const string HostName = "uring";

    /// <inheritdoc />
    public string Name => HostName;

    /// <inheritdoc />
    public string Engine => "io_uring (Linux) and the host kit's Http1Protocol";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols | HostCapabilities.WebSocketKeepAliveTimeout |
        HostCapabilities.Network | HostCapabilities.RequestLimits | HostCapabilities.StrictRequestParsing | HostCapabilities.HttpPipelining |
        HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.WebSocketCompression | HostCapabilities.AbortsFailedResponses |
        HostCapabilities.ConnectionLimit | HostCapabilities.UnixSockets | HostCapabilities.RequestTimeouts | HostCapabilities.SignalsClientDisconnect | HostCapabilities.RepeatedHeaderLines;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        ListenAddress.RequireHttp(options.Urls, HostName, "its loop speaks plain HTTP only");
        var loop = StartLoop();
        var listeners = new List<Socket>();
        try
        {
            listeners.AddRange(options.Urls.Select(url => ListenAddress.Listen(url, HostName)));
        }
        catch
        {
            listeners.ForEach(l => l.Dispose());
            loop.Dispose();
            throw;
        }
        var addresses = options.Urls.Zip(listeners, ListenAddress.Bound).ToList();
        var runtime = new HostRuntime(HostName, application, options);
        runtime.Listening(addresses);
        return Task.FromResult<IRunningServer>(new UringServer(runtime, loop, listeners, addresses));
    }

    private static UringLoop StartLoop()
    {
        if (!OperatingSystem.IsLinux())
            throw new HostStartException("The uring host runs on Linux only (io_uring); choose another host, such as raw.");
        try
        {
            return UringLoop.Start("HostKit uring loop");
        }
        catch (UringUnavailableException ex)
        {
            throw new HostStartException($"The uring host cannot start: {ex.Message}. Choose another host, such as raw.", ex);
        }
    }
}
