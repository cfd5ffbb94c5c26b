using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Tests.Bench;

/// <summary>The benchmark's workloads on an application's own routes: --http, --ws and the workload file.</summary>
public class WorkloadSpecTests
{
    [Fact]
    public void Http_keys_describe_the_request_and_name_the_row()
    {
        var workload = WorkloadSpec.Parse("http", "method=post, path=/echo, body=4096, connections=8, pipeline=4").ToWorkload();
        Assert.Equal("post-echo-4096b-x4-c8", workload.Id);
        Assert.Equal("POST /echo 4096 B pipelined x4, 8 connections", workload.Title);
        Assert.Equal(ServerFeatures.Http | ServerFeatures.HttpPipelining, workload.Needs);
    }

    [Fact]
    public void Http_defaults_to_get_slash_on_64_connections()
    {
        var workload = WorkloadSpec.Parse("http", "path=/").ToWorkload();
        Assert.Equal(("get-c64", "GET /, 64 connections"), (workload.Id, workload.Title));
        Assert.Equal(ServerFeatures.Http, workload.Needs);
    }

    [Fact]
    public void Ws_keys_describe_the_echo_and_a_bare_key_means_true()
    {
        var workload = WorkloadSpec.Parse("ws", "path=/ws/feed,binary,size=4096,connections=16,inflight=4,id=feed").ToWorkload();
        Assert.Equal(("feed", "WS /ws/feed, binary, 16 connections x 4096 B x 4 in flight"), (workload.Id, workload.Title));
        Assert.Equal(ServerFeatures.WebSockets, workload.Needs);
    }

    [Theory]
    [InlineData("http", "paht=/x", "'paht' is not a http workload key. Known: id, method, path, body, connections, pipeline.")]
    [InlineData("http", "path=x", "path 'x' must start with /.")]
    [InlineData("http", "connections=0", "connections=0 is not a positive whole number.")]
    [InlineData("ws", "size=big", "size=big is not a positive whole number.")]
    [InlineData("ws", "text,binary", "say text or binary, not both.")]
    [InlineData("grpc", "path=/", "the kind 'grpc' is not http or ws.")]
    public void A_mistake_is_refused_saying_what_and_why(string kind, string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => WorkloadSpec.Parse(kind, text).ToWorkload());
        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_file_takes_the_same_keys_with_a_kind()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """[{"kind": "http", "method": "POST", "path": "/orders", "body": 512}, {"kind": "ws", "path": "/ws/feed", "binary": true, "size": 4096}]""");
            var workloads = WorkloadSpec.Load(file).Select(s => s.ToWorkload()).ToList();
            Assert.Equal(["post-orders-512b-c64", "ws-ws-feed-32x4096b-binary"], workloads.Select(w => w.Id));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_workload_file_entry_without_a_kind_is_refused_by_its_number()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """[{"kind": "http"}, {"path": "/x"}]""");
            var error = Assert.Throws<FormatException>(() => WorkloadSpec.Load(file));
            Assert.Equal($"{file}: workload 2 has no \"kind\" (http or ws).", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
