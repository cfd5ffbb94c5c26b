using HostKit.Bench;
using HostKit.Bench.Report;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Tests.Bench;

/// <summary>
/// The compressed chat-text workloads: in the catalog beside the uncompressed one, measured only where the server
/// compresses, and reported with the bytes on the wire per message beside msgs/s and CPU per message.
/// </summary>
public class ChatTextWorkloadTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_catalog_has_chat_text_uncompressed_and_compressed_with_and_without_takeover(bool quick)
    {
        var chat = Selection.Workloads(WorkloadCatalog.Create(quick), "ws-chat-*").Cast<ChatTextEchoWorkload>().ToList();
        Assert.Equal(new[] { "ws-chat-text", "ws-chat-deflate", "ws-chat-deflate-takeover" }, chat.Select(w => w.Id).ToArray());
        Assert.Equal(new[] { ChatCompression.None, ChatCompression.NoContextTakeover, ChatCompression.ContextTakeover }, chat.Select(w => w.Compression).ToArray());
        Assert.All(chat, w => Assert.True(w.CountsWireBytes));
    }

    [Fact]
    public void Only_the_compressed_variants_need_a_server_that_compresses_and_they_have_no_ceiling()
    {
        var byId = WorkloadCatalog.Create(quick: false).OfType<ChatTextEchoWorkload>().ToDictionary(w => w.Id);
        var plain = byId["ws-chat-text"];
        Assert.Equal(ServerFeatures.WebSockets, plain.Needs);
        Assert.True(plain.HasCeiling);
        Assert.False(plain.OnlyWhereServed);
        foreach (var compressed in new[] { byId["ws-chat-deflate"], byId["ws-chat-deflate-takeover"] })
        {
            Assert.Equal(ServerFeatures.WebSockets | ServerFeatures.WebSocketCompression, compressed.Needs);
            Assert.False(compressed.HasCeiling); // the C ceiling server does not compress
            Assert.True(compressed.OnlyWhereServed);
        }
    }

    [Fact]
    public void No_other_workload_counts_wire_bytes()
    {
        Assert.All(WorkloadCatalog.Create(quick: false).Where(w => w is not ChatTextEchoWorkload), w => Assert.False(w.CountsWireBytes));
    }

    [Fact]
    public async Task The_demo_hosts_that_compress_are_started_with_compression_on_and_only_they()
    {
        var hosts = (await ServerCatalog.AppHostsAsync(Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll"), "Demo")).ToDictionary(h => h.Name);
        foreach (var name in new[] { "kestrel", "raw", "kestrel-transport", "uring" })
        {
            Assert.True(hosts[name].Features.HasFlag(ServerFeatures.WebSocketCompression), name);
            Assert.Contains("HostKit:WebSockets:Compression=true", hosts[name].Command(8080));
            Assert.Contains("HostKit:WebSockets:CompressionContextTakeover=true", hosts[name].Command(8080));
        }
        Assert.False(hosts["httplistener"].Features.HasFlag(ServerFeatures.WebSocketCompression));
        Assert.DoesNotContain("HostKit:WebSockets:Compression=true", hosts["httplistener"].Command(8080));
    }

    [Fact]
    public void The_report_shows_wire_bytes_per_message_beside_msgs_and_cpu_for_each_variant()
    {
        var workloads = WorkloadCatalog.Create(quick: false).OfType<ChatTextEchoWorkload>().ToList();
        var results = Results(workloads);
        // 10,000 messages in 5 s: 160 B each way uncompressed (1.6 MB in all) and 60 B compressed; 0.25 s of server CPU.
        results.Runs.Add(Run("raw", "ws-chat-text", wireBytes: 3_200_000));
        results.Runs.Add(Run("raw", "ws-chat-deflate", wireBytes: 1_200_000));
        results.Runs.Add(Run("raw", "ws-chat-deflate-takeover", wireBytes: 800_000));
        results.Runs.Add(Run("httplistener", "ws-chat-text", wireBytes: 3_200_000));
        foreach (var compressed in new[] { "ws-chat-deflate", "ws-chat-deflate-takeover" })
            results.Runs.Add(new RunRecord("httplistener", compressed, 1, RunStatus.Unsupported, "not supported by this server: it lacks WebSocketCompression", DateTimeOffset.UnixEpoch));

        var report = MarkdownReport.Write(new ResultsSummary(results), []);

        Assert.Contains("| server | msgs/s | range | of C ceiling | p50 ms | p99 ms | server CPU s | server CPU µs/op | wire B/msg | peak RSS MiB | load CPU s | note |", report, StringComparison.Ordinal);
        Assert.Contains("## Compression: bytes on the wire and CPU per message", report, StringComparison.Ordinal);
        Assert.Contains("| raw | ws-chat-text | 2,000 | 320 | 25.0 | 10.0 |", report, StringComparison.Ordinal);
        Assert.Contains("| raw | ws-chat-deflate | 2,000 | 120 | 25.0 | 10.0 |", report, StringComparison.Ordinal);
        Assert.Contains("| raw | ws-chat-deflate-takeover | 2,000 | 80 | 25.0 | 10.0 |", report, StringComparison.Ordinal);
        // A server that does not compress has a row for the plain text only: none in the compressed tables, as HTTP/2's.
        Assert.Contains("| httplistener | ws-chat-text | 2,000 | 320 |", report, StringComparison.Ordinal);
        Assert.DoesNotContain("| httplistener | ws-chat-deflate", report, StringComparison.Ordinal);
        Assert.DoesNotContain("| httplistener | - | - |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_that_counts_no_wire_bytes_has_no_such_column_and_no_compression_section()
    {
        var results = Results([new WebSocketEchoWorkload("ws-echo-32x32B-text", "websocket echo", 32, 1, 32, text: true)]);
        results.Runs.Add(Run("raw", "ws-echo-32x32B-text", wireBytes: null));
        var report = MarkdownReport.Write(new ResultsSummary(results), []);
        Assert.DoesNotContain("wire B/msg", report, StringComparison.Ordinal);
        Assert.DoesNotContain("## Compression", report, StringComparison.Ordinal);
    }

    private static RunRecord Run(string server, string workload, long? wireBytes) =>
        new(server, workload, 1, RunStatus.Ok, null, DateTimeOffset.UnixEpoch, Throughput: 2_000, Count: 10_000, Seconds: 5,
            P50Microseconds: 400, P99Microseconds: 900, ServerCpuSeconds: 0.25, ServerPeakRssBytes: 100 << 20, ClientCpuSeconds: 0.1,
            OtherCpuCores: 0, WireBytes: wireBytes);

    private static ResultsFile Results(IEnumerable<Workload> workloads) => new()
    {
        App = "MyApp",
        CommandLine = "hostkit-bench",
        StartedUtc = DateTimeOffset.UnixEpoch,
        Machine = new MachineInfo("cpu", 2, "6.1", "Debian 12", ".NET 10", "24 GiB", "0.1 0.1 0.1"),
        Settings = new ResultsFile.RunSettingsView(20, 5, 1, "0", "1", 0.8),
        Tools = new Dictionary<string, string>(),
        Servers = [new ResultsFile.ServerView("raw", ServerGroup.HostKit, "raw", null), new ResultsFile.ServerView("httplistener", ServerGroup.HostKit, "httplistener", null)],
        Workloads = [.. workloads.Select(ResultsFile.WorkloadView.Of)],
    };
}
