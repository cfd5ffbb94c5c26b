using HostKit.Hosts;
using Spectre.Console;

namespace HostKit.Hosting;

/// <summary>Prints the registered hosts and their capabilities (<c>--host list</c>); the README's host table shows the same facts.</summary>
public static class HostTable
{
    /// <summary>The capability columns, in order, with their titles: the README's host table uses the same.</summary>
    public static IReadOnlyList<(HostCapabilities Capability, string Title)> Columns { get; } =
    [
        (HostCapabilities.Http, "HTTP"),
        (HostCapabilities.WebSockets, "websocket"),
        (HostCapabilities.WebSocketSubProtocols, "subprotocols"),
        (HostCapabilities.WebSocketKeepAliveTimeout, "dead-peer detection"),
        (HostCapabilities.WebSocketFrameHeaderLimits, "frame header limits"),
        (HostCapabilities.WebSocketCompression, "compression"),
        (HostCapabilities.RequestLimits, "size limits"),
        (HostCapabilities.RequestTimeouts, "timeouts"),
        (HostCapabilities.ConnectionLimit, "connection limit"),
        (HostCapabilities.StrictRequestParsing, "strict parsing"),
        (HostCapabilities.HttpPipelining, "pipelining"),
        (HostCapabilities.AbortsFailedResponses, "aborts failed responses"),
        (HostCapabilities.SignalsClientDisconnect, "abort on disconnect"),
        (HostCapabilities.Tls, "TLS"),
        (HostCapabilities.Network, "sockets"),
        (HostCapabilities.SharedPort, "shared port"),
    ];

    /// <summary>Writes the table for <paramref name="hosts"/> to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, IEnumerable<IServerHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(hosts);
        var table = new Table().Border(TableBorder.Markdown).AddColumn("host").AddColumn("engine");
        foreach (var (_, title) in Columns)
            table.AddColumn(new TableColumn(title).Centered());
        foreach (var host in hosts)
        {
            var cells = new List<string> { Markup.Escape(host.Name), Markup.Escape(host.Engine) };
            cells.AddRange(Columns.Select(c => host.Capabilities.HasFlag(c.Capability) ? "yes" : "no"));
            table.AddRow([.. cells]);
        }
        // Redirected output has no width of its own; don't squeeze the table into 80 columns.
        if (Console.IsOutputRedirected)
            console.Profile.Width = Math.Max(console.Profile.Width, 320);
        console.Write(table);
        // A "no" in the strict parsing column is a security property, not a missing feature: say what to do about it.
        foreach (var host in hosts.Where(h => h.Capabilities.HasFlag(HostCapabilities.Network) && !h.Capabilities.HasFlag(HostCapabilities.StrictRequestParsing)))
            console.WriteLine($"{host.Name}: its engine accepts some ambiguous requests (no strict parsing): put it behind a reverse proxy on an untrusted network (docs/limits.md).");
    }
}
