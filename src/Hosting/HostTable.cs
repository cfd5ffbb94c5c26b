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
        (HostCapabilities.RepeatedHeaderLines, "repeated headers"),
        (HostCapabilities.HttpPipelining, "pipelining"),
        (HostCapabilities.AbortsFailedResponses, "aborts failed responses"),
        (HostCapabilities.SignalsClientDisconnect, "abort on disconnect"),
        (HostCapabilities.Tls, "TLS"),
        (HostCapabilities.Http2, "HTTP/2"),
        (HostCapabilities.Network, "sockets"),
        (HostCapabilities.SharedPort, "shared port"),
        (HostCapabilities.UnixSockets, "unix sockets"),
    ];

    /// <summary>
    /// The table as text, one row a line with nothing at the ends of lines: the markdown border pads its empty top and
    /// bottom rules and every cell to the console's width, which piped into a file or grep is lines of spaces.
    /// </summary>
    private static string Render(Table table, Profile target)
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = target.Capabilities.Ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        // Redirected output has no width of its own; don't squeeze the table into 80 columns.
        console.Profile.Width = Console.IsOutputRedirected ? Math.Max(target.Width, 320) : target.Width;
        console.Write(table);
        var lines = text.ToString().ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).Reverse().SkipWhile(l => l.Length == 0).Reverse();
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

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
        console.Profile.Out.Writer.Write(Render(table, console.Profile));
        // A "no" in the strict parsing column is a security property, not a missing feature: say what to do about it.
        foreach (var host in hosts.Where(h => h.Capabilities.HasFlag(HostCapabilities.Network) && !h.Capabilities.HasFlag(HostCapabilities.StrictRequestParsing)))
            console.Profile.Out.Writer.WriteLine($"{host.Name}: its engine accepts some ambiguous requests (no strict parsing): put it behind a reverse proxy on an untrusted network (docs/limits.md).");
    }
}
