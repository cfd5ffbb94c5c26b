using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;

namespace HostKit.Hosting.Workers;

/// <summary>
/// The supervisor's hold on the workers' addresses: one socket per URL, bound with SO_REUSEPORT and never listening.
/// Binding resolves port 0 to a real port once for every worker; holding it keeps the port while workers restart
/// (a process without SO_REUSEPORT cannot take it), and as it does not listen, the kernel gives it no connection.
/// </summary>
internal sealed class PortReservation : IDisposable
{
    private readonly List<Socket> _sockets;

    private PortReservation(List<Socket> sockets, IReadOnlyList<Uri> urls)
    {
        _sockets = sockets;
        Urls = urls;
    }

    /// <summary>The reserved addresses, with real ports.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <exception cref="HostStartException">An address is taken by a process that does not share it, or is not an IP address.</exception>
    public static PortReservation Reserve(IReadOnlyList<Uri> urls)
    {
        var sockets = new List<Socket>();
        var reserved = new List<Uri>();
        try
        {
            foreach (var url in urls)
            {
                var endpoint = ListenAddress.Parse(url, "--workers");
                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                if (endpoint.Address.Equals(IPAddress.IPv6Any))
                    socket.DualMode = true;
                SharedPort.Allow(socket);
                socket.Bind(endpoint);
                reserved.Add(new UriBuilder(url) { Port = ((IPEndPoint)socket.LocalEndPoint!).Port }.Uri);
            }
            return new PortReservation(sockets, reserved);
        }
        catch (SocketException ex)
        {
            sockets.ForEach(s => s.Dispose());
            throw new HostStartException($"--workers could not reserve {string.Join(", ", urls)}: {ex.Message}", ex);
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }
    }

    public void Dispose() => _sockets.ForEach(s => s.Dispose());
}
