using System.Globalization;
using System.Text.Json;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// A workload on an application's own route, as written on the command line (<c>--http path=/json,connections=32</c>,
/// <c>--ws path=/ws/echo,binary,size=4096</c>) or in a workload file (a JSON array of objects with the same keys and a
/// <c>kind</c> of <c>http</c> or <c>ws</c>). Keys: http: method (GET), path (/), body (bytes, 0), connections (64),
/// pipeline (1); ws: path (/ws/echo), text or binary (text), size (32), connections (32), inflight (1); both: id.
/// </summary>
internal sealed record WorkloadSpec(string Kind, IReadOnlyDictionary<string, string> Values)
{
    private static readonly string[] HttpKeys = ["id", "method", "path", "body", "connections", "pipeline"];
    private static readonly string[] WebSocketKeys = ["id", "path", "text", "binary", "size", "connections", "inflight"];

    /// <summary>Reads one <c>--http</c> or <c>--ws</c> value: comma-separated key=value pairs (a bare key means true).</summary>
    public static WorkloadSpec Parse(string kind, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            values[equals < 0 ? pair : pair[..equals].Trim()] = equals < 0 ? "true" : pair[(equals + 1)..].Trim();
        }
        return Checked(kind, values, $"--{kind} {text}");
    }

    /// <summary>Reads a workload file: a JSON array of objects, each with a kind (http or ws) and that kind's keys.</summary>
    public static IReadOnlyList<WorkloadSpec> Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{file}: a workload file is a JSON array of workloads, like [{{\"kind\": \"http\", \"path\": \"/\"}}].");
        var specs = new List<WorkloadSpec>();
        foreach (var (item, index) in document.RootElement.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{file}: workload {index + 1} is not an object.");
            var values = item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.OrdinalIgnoreCase);
            if (!values.Remove("kind", out var kind))
                throw new FormatException($"{file}: workload {index + 1} has no \"kind\" (http or ws).");
            specs.Add(Checked(kind, values, $"{file}: workload {index + 1}"));
        }
        return specs;
    }

    /// <summary>The workload this spec describes, probed on each server before it is measured.</summary>
    public Workload ToWorkload() => Kind == "http" ? Http() : WebSocket();

    private Workload Http()
    {
        var method = Text("method", "GET").ToUpperInvariant();
        var path = Text("path", "/");
        var body = Number("body", 0);
        var connections = Number("connections", 64);
        var pipeline = Number("pipeline", 1);
        var shape = $"{method} {path}{(body > 0 ? $" {body} B" : "")}{(pipeline > 1 ? $" pipelined x{pipeline}" : "")}, {connections} connections";
        return new HttpWorkload(Text("id", Slug($"{method}-{path}{(body > 0 ? $"-{body}B" : "")}{(pipeline > 1 ? $"-x{pipeline}" : "")}-c{connections}")), shape,
            "request.lua", [method, path, I(body), I(pipeline)], connections,
            ServerFeatures.Http | (pipeline > 1 ? ServerFeatures.HttpPipelining : 0), new HttpRouteProbe(method, path, body));
    }

    private Workload WebSocket()
    {
        var path = Text("path", "/ws/echo");
        var binary = Flag("binary");
        if (Values.ContainsKey("text") && Values.ContainsKey("binary") && Flag("text") == binary)
            throw new FormatException($"--ws {path}: say text or binary, not both.");
        var size = Number("size", 32);
        var connections = Number("connections", 32);
        var inFlight = Number("inflight", 1);
        var type = binary ? "binary" : "text";
        var shape = $"WS {path}, {type}, {connections} connections x {size} B{(inFlight > 1 ? $" x {inFlight} in flight" : "")}";
        return new WebSocketEchoWorkload(Text("id", Slug($"ws-{path}-{connections}x{size}B{(inFlight > 1 ? $"x{inFlight}" : "")}-{type}")), shape,
            connections, inFlight, size, text: !binary, path, probe: true);
    }

    private static WorkloadSpec Checked(string kind, Dictionary<string, string> values, string where)
    {
        kind = kind.ToLowerInvariant() switch
        {
            "http" => "http",
            "ws" or "websocket" => "ws",
            _ => throw new FormatException($"{where}: the kind '{kind}' is not http or ws."),
        };
        var known = kind == "http" ? HttpKeys : WebSocketKeys;
        if (values.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            throw new FormatException($"{where}: '{unknown}' is not a {kind} workload key. Known: {string.Join(", ", known)}.");
        var spec = new WorkloadSpec(kind, values);
        if (values.TryGetValue("path", out var path) && !path.StartsWith('/'))
            throw new FormatException($"{where}: path '{path}' must start with /.");
        foreach (var number in new[] { "body", "connections", "pipeline", "size", "inflight" }.Where(values.ContainsKey))
            _ = spec.Number(number, 0);
        return spec;
    }

    private string Text(string key, string fallback) => Values.TryGetValue(key, out var value) && value.Length > 0 ? value : fallback;

    private bool Flag(string key) => Values.TryGetValue(key, out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    private int Number(string key, int fallback)
    {
        if (!Values.TryGetValue(key, out var text))
            return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && (value > 0 || key == "body")
            ? value
            : throw new FormatException($"{Kind} workload: {key}={text} is not a {(key == "body" ? "whole number" : "positive whole number")}.");
    }

    /// <summary>An id safe in a file name (charts are named after it): letters, digits and dashes.</summary>
    private static string Slug(string text) =>
        string.Join('-', new string([.. text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')])
            .Split('-', StringSplitOptions.RemoveEmptyEntries));

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
