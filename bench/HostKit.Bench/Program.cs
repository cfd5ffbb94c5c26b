using System.CommandLine;
using HostKit.Bench;
using HostKit.Bench.Running;

// The side-by-side benchmark (issue 17): every HostKit host and the baselines, the same Demo
// routes, one report with charts. See docs/benchmarks.md.
//   dotnet run -c Release --project bench/HostKit.Bench -- --hosts all
var quick = new Option<bool>("--quick") { Description = "A smoke run (about 2.5 min on a quiet 2-core machine): 0.5 s warm-up and window (wrk: no warm-up, 1 s), one round, fewer connections, HostKit hosts and bare-kestrel unless --hosts says otherwise. Written to bench/results/quick/ and marked QUICK." };
var hosts = new Option<string?>("--hosts") { Description = "Servers to run, comma-separated: names (kestrel, raw, bare-kestrel, node-ws...) or groups (all, hostkit, bare, python, node, baselines). Default: all. The operator-cost variants (raw+tls, raw+access-log, raw+otel, the same for kestrel) run only when named, or all of them with operator-costs; each brings its host, which its figures are ratios to." };
var workloads = new Option<string?>("--workloads") { Description = "Workloads to run, comma-separated ids (plaintext, ws-echo-32x32B-text...), prefixes ending in * (ws-*, chat-*), or all. Default: all." };
var duration = new Option<double?>("--duration") { Description = "Measurement window per workload, in seconds. Default: 5 (quick: 0.5)." };
var rounds = new Option<int?>("--rounds") { Description = "Fresh server processes per server, in rotated order. Default: 3 (quick: 1)." };
var warmup = new Option<double?>("--warmup") { Description = "Warm-up on each workload before its window, in seconds. Default: 20, since .NET keeps speeding up for about 20 s (quick: 0.5)." };
var output = new Option<string?>("--output") { Description = "Report folder. Default: bench/results/<UTC stamp> (quick: bench/results/quick/<UTC stamp>)." };
var list = new Option<bool>("--list") { Description = "Print the servers (installed or not) and the workloads, and exit." };
var app = new Option<string?>("--app") { Description = "Measure your application instead of the Demo: its project file (built in Release), its folder, or its built .dll. It runs on every host it references, one process each; the baselines are left out (they serve the Demo's routes). Needs --http, --ws or --workload-file (default: --http path=/)." };
var http = new Option<string[]>("--http") { Description = "An HTTP workload on the app's route, as key=value pairs: method (GET), path (/), body (bytes, 0), connections (64), pipeline (1), id. Repeat for several: --http path=/plaintext --http method=POST,path=/echo,body=4096", Arity = ArgumentArity.ZeroOrMore };
var ws = new Option<string[]>("--ws") { Description = "A websocket echo workload: path (/ws/echo), text or binary (text), size (32), connections (32), inflight (1), id. Repeat for several.", Arity = ArgumentArity.ZeroOrMore };
var workloadFile = new Option<string?>("--workload-file") { Description = "Workloads from a JSON file: an array of objects with \"kind\": \"http\" or \"ws\" and the keys of --http or --ws." };
var from = new Option<string?>("--from") { Description = "Run nothing: write report.md and the charts again from FOLDER/results.json (after a change to the report)." };

var root = new RootCommand("HostKit's side-by-side benchmark: every host and the stacks its users come from, on the same Demo routes; writes report.md, results.json and charts.")
{
    quick, hosts, workloads, duration, rounds, warmup, output, list, from, app, http, ws, workloadFile,
};
root.SetAction((result, cancellationToken) =>
{
    var isQuick = result.GetValue(quick);
    var options = new BenchOptions(
        isQuick,
        result.GetValue(hosts) ?? (isQuick ? "hostkit,bare" : "all"),
        result.GetValue(workloads) ?? "all",
        new RunSettings(
            TimeSpan.FromSeconds(result.GetValue(warmup) ?? (isQuick ? 0.5 : 20)),
            TimeSpan.FromSeconds(result.GetValue(duration) ?? (isQuick ? 0.5 : 5)),
            result.GetValue(rounds) ?? (isQuick ? 1 : 3),
            isQuick),
        result.GetValue(output),
        result.GetValue(list),
        result.GetValue(from),
        new AppSelection(result.GetValue(app), result.GetValue(http) ?? [], result.GetValue(ws) ?? [], result.GetValue(workloadFile)),
        // As the user would type it again: the tool, as docs/benchmarks.md runs it, outside a clone, the repository's command inside one.
        (RepositoryLayout.Locate().InRepository ? "dotnet run -c Release --project bench/HostKit.Bench -- " : "dotnet tool exec HostKit.Bench -- ") + string.Join(' ', args));
    return BenchCommand.RunAsync(options, cancellationToken);
});
// On Ctrl+C or SIGTERM the action's token is cancelled; give it time to stop every server it
// started (SIGTERM, then SIGKILL after 5 s) and to write the report of what was measured.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
