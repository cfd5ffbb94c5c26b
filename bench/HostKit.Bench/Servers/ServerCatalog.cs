namespace HostKit.Bench.Servers;

/// <summary>
/// Every server the benchmark knows: the Demo on each host the Demo's registry lists (asked with
/// <c>--host list</c>, so a new host is picked up by itself), the bare ASP.NET Core app, and the
/// stacks HostKit's users come from, each marked "not installed" when it is missing here.
/// </summary>
internal static class ServerCatalog
{
    private const string Python = "/usr/bin/python3"; // Debian's python packages are for this one, not a pyenv python3 first on PATH
    private const string Gunicorn = "/usr/bin/gunicorn";
    private const string Uwsgi = "/usr/bin/uwsgi";
    private const string UwsgiPlugins = "/usr/lib/uwsgi/plugins";
    private const string InstallHint = "run bench/install-baselines.sh";

    /// <summary>
    /// All servers, HostKit hosts first, then their operator-cost variants (run only when asked for), then the baselines,
    /// in report order.
    /// </summary>
    public static async Task<IReadOnlyList<ServerSpec>> DiscoverAsync(RepositoryLayout layout, OperatorVariants variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (!File.Exists(layout.DemoAssembly))
            throw new InvalidOperationException($"The Demo is not built: {layout.DemoAssembly}. Run the runner with `dotnet run -c Release --project bench/HostKit.Bench`.");
        var entries = await HostEntriesAsync(layout.DemoAssembly);
        var hosts = entries.Select(entry => HostSpec(entry, layout.DemoAssembly, "HostKit Demo")).ToList();
        List<ServerSpec> servers = [.. hosts, .. entries.Zip(hosts).SelectMany(pair => variants.For(pair.Second, pair.First.Has("TLS")))];
        servers.Add(new ServerSpec("bare-kestrel", ServerGroup.Bare, "ASP.NET Core: WebApplication.CreateSlimBuilder + app.Run (bench/BareKestrel)",
            ServerFeatures.All | ServerFeatures.WebSocketCompression, port => ["dotnet", layout.BareKestrelAssembly, "--urls", $"http://127.0.0.1:{port}"],
            File.Exists(layout.BareKestrelAssembly) ? null : $"not built: {layout.BareKestrelAssembly}"));
        servers.AddRange(await PythonStacksAsync(layout));
        servers.Add(await NodeAsync(layout));
        return servers;
    }

    /// <summary>The trivial C server that measures each load generator's ceiling.</summary>
    public static ServerSpec Ceiling(string binary) => new("ceiling", ServerGroup.Ceiling, "trivial C epoll server (bench/native/ceiling_server.c)",
        ServerFeatures.All, port => [binary, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>
    /// An application on each host it references (asked with <c>--host list</c>, which every app on HostKit's runner
    /// answers), one process per host: the Demo for the report's HostKit rows, or any app named with <c>--app</c>.
    /// </summary>
    /// <param name="assembly">The application's built .dll.</param>
    /// <param name="label">What it is, for the report ("HostKit Demo", "MyApp").</param>
    public static async Task<IEnumerable<ServerSpec>> AppHostsAsync(string assembly, string label) =>
        (await HostEntriesAsync(assembly)).Select(entry => HostSpec(entry, assembly, label));

    /// <summary>The hosts with sockets that <c>--host list</c> of <paramref name="assembly"/> prints.</summary>
    private static async Task<IReadOnlyList<HostListParser.HostEntry>> HostEntriesAsync(string assembly)
    {
        var listing = await CommandProbe.RunAsync("dotnet", [assembly, "--host", "list"]);
        if (listing is not { ExitCode: 0 } result)
            throw new InvalidOperationException($"`dotnet {assembly} --host list` failed: is it an application on HostKit's runner (HostRunner.RunAsync)? {listing?.Output}");
        return [.. HostListParser.Parse(result.Output).Where(host => host.Has("sockets"))]; // the in-memory test host has no sockets to load
    }

    private static ServerSpec HostSpec(HostListParser.HostEntry host, string assembly, string label) =>
        new(host.Name, ServerGroup.HostKit, $"{label} on `{host.Name}` ({host.Engine})",
            (host.Has("HTTP") ? ServerFeatures.Http : 0) | (host.Has("websocket") ? ServerFeatures.WebSockets : 0) | (host.Has("pipelining") ? ServerFeatures.HttpPipelining : 0)
                | (host.Has("websocket") ? ServerFeatures.Chat : 0) | (host.Has("HTTP/2") ? ServerFeatures.Http2 : 0)
                | (host.Has("compression") ? ServerFeatures.WebSocketCompression : 0),
            // --http2 where the host speaks it, for the HTTP/2 workload: HTTP/1.1 is served on the same address (a look at a
            // connection's first bytes decides, once per connection).
            port => ["dotnet", assembly, "--host", host.Name, "--urls", $"http://127.0.0.1:{port}", "--log-level", "Warning",
                .. host.Has("HTTP/2") ? (string[])["--http2"] : [], .. host.Has("compression") ? CompressionOn : []]);

    /// <summary>
    /// Compression on, with context takeover allowed, on the hosts that compress: nothing is compressed unless the client
    /// offers permessage-deflate, which only the ws-chat-deflate workloads do, and the kit honours the no-takeover offer of
    /// ws-chat-deflate, so one process serves both compressed workloads and every uncompressed one as before.
    /// </summary>
    private static readonly string[] CompressionOn =
        ["--set", "HostKit:WebSockets:Compression=true", "--set", "HostKit:WebSockets:CompressionContextTakeover=true"];

    private static async Task<IEnumerable<ServerSpec>> PythonStacksAsync(RepositoryLayout layout)
    {
        var folder = layout.PythonBaselines;
        var flask = await MissingPythonModulesAsync("flask", "gevent", "geventwebsocket");
        var tornado = await MissingPythonModulesAsync("tornado");
        var gunicorn = flask ?? (File.Exists(Gunicorn) ? null : $"not installed: {Gunicorn} ({InstallHint})");
        var uwsgiMissing = new[] { Uwsgi, Path.Combine(UwsgiPlugins, "python3_plugin.so"), Path.Combine(UwsgiPlugins, "gevent_python3_plugin.so") }.FirstOrDefault(p => !File.Exists(p));
        var uwsgi = uwsgiMissing is null ? await MissingPythonModulesAsync("gevent") : $"not installed: {uwsgiMissing} ({InstallHint})";
        return
        [
            new("flask-gevent", ServerGroup.Python, "Flask + gevent-websocket on gevent's WSGIServer (bench/baselines/python/flask_gevent.py)",
                ServerFeatures.All, port => [Python, "flask_gevent.py", P(port)], flask, folder),
            new("gunicorn-gevent", ServerGroup.Python, "the same Flask app on gunicorn, 1 worker of gevent-websocket's GeventWebSocketWorker",
                ServerFeatures.All, port => [Gunicorn, "--workers", "1", "--worker-class", "geventwebsocket.gunicorn.workers.GeventWebSocketWorker",
                    "--worker-connections", "11000", "--backlog", "4096", "--bind", $"127.0.0.1:{port}", "--log-level", "warning", "flask_app:app"], gunicorn, folder),
            // --http-socket closes after each response (keep-alive stalls in async mode: see uwsgi_app.py), so it cannot pipeline.
            new("uwsgi", ServerGroup.Python, "uWSGI native websockets (its C framing), python3 + gevent plugins, 1 worker (bench/baselines/python/uwsgi_app.py)",
                ServerFeatures.Http | ServerFeatures.WebSockets, port => [Uwsgi, "--plugins", "python3,gevent_python3", "--http-socket", $"127.0.0.1:{port}",
                    "--gevent", "11000", "--gevent-early-monkey-patch", "--wsgi-file", "uwsgi_app.py", "--master", "--processes", "1", "--die-on-term",
                    "--listen", "4096", "--disable-logging", "--buffer-size", "8192"], uwsgi, folder),
            new("tornado", ServerGroup.Python, "Tornado (bench/baselines/python/tornado_app.py)",
                ServerFeatures.All, port => [Python, "tornado_app.py", P(port)], tornado, folder),
        ];
    }

    private static async Task<ServerSpec> NodeAsync(RepositoryLayout layout)
    {
        var version = await CommandProbe.VersionAsync("node", "--version");
        var missing = version == "not installed" ? $"not installed: node ({InstallHint})"
            : !Directory.Exists(Path.Combine(layout.NodeBaseline, "node_modules", "ws")) ? $"not installed: the ws package ({InstallHint}, which runs npm ci)"
            : null;
        return new ServerSpec("node-ws", ServerGroup.Node, $"Node {version} http + ws (bench/baselines/node/server.js)",
            ServerFeatures.All | ServerFeatures.WebSocketCompression, port => ["node", "server.js", P(port)], missing, layout.NodeBaseline);
    }

    private static async Task<string?> MissingPythonModulesAsync(params string[] modules)
    {
        var check = await CommandProbe.RunAsync(Python, ["-c", string.Join(";", modules.Select(m => $"import {m}"))]);
        return check switch
        {
            null => $"not installed: {Python} ({InstallHint})",
            { ExitCode: 0 } => null,
            { Output: var output } => $"not installed: {output.Split('\n')[^1]} ({InstallHint})",
        };
    }

    private static string P(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
