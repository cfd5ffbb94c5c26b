namespace HostKit.Bench.Servers;

/// <summary>What a server can be measured on; a workload needing more is a row that says so.</summary>
[Flags]
internal enum ServerFeatures
{
    None = 0,
    Http = 1,
    WebSockets = 2,

    /// <summary>Answers pipelined requests (the HttpListener host declares it does not).</summary>
    HttpPipelining = 4,

    All = Http | WebSockets | HttpPipelining,
}
