using System.Diagnostics;
using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>
/// Posting into a room from outside a node: a plain Python script written from docs/backplane.md alone, and the Demo's
/// <c>emit</c> command. The message reaches members on every node with the room's next id.
/// </summary>
[Collection(ClusterCollection.Name)]
public class EmitterTests
{
    [Fact]
    public async Task A_python_script_written_from_the_document_posts_to_members_on_every_node()
    {
        // Whichever python3 has redis-py: a pyenv one first on PATH usually has not, Debian's with python3-redis has.
        var python = RequiredComponent.PythonWith("redis", "python3-redis");
        await using var redis = await RedisServer.StartAsync();
        await using var kestrel = await RedisChatClusterTests.StartNodeAsync("kestrel", redis);
        await using var raw = await RedisChatClusterTests.StartNodeAsync("raw", redis);
        using var ann = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("ops", "ann"));
        using var bob = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("ops", "bob"));
        await ann.ReceiveUntilAsync(e => e.Name == "bob");

        var (code, output) = await RunAsync(python, Path.Combine(Repository.Root, "samples", "python", "emit.py"),
            "--redis", redis.Address, "--room", "ops", "--name", "cron", "--text", "Backup finished ✓");
        Assert.True(code == 0, output);
        Assert.Contains("emitted to room ops as event 3", output, StringComparison.Ordinal);

        var atAnn = (await ann.ReceiveUntilAsync(e => e.Type == "message"))[^1];
        var atBob = (await bob.ReceiveUntilAsync(e => e.Type == "message"))[^1];
        Assert.Equal(("cron", "Backup finished ✓", 3L), (atAnn.Name!, atAnn.Text!, atAnn.Id!.Value));
        Assert.Equal(atAnn.Raw, atBob.Raw);

        // With a cid, the script run twice (a retried job) stores the message once.
        string[] once = ["--redis", redis.Address, "--room", "ops", "--name", "cron", "--text", "once", "--cid", "job-7"];
        (code, output) = await RunAsync(python, [Path.Combine(Repository.Root, "samples", "python", "emit.py"), .. once]);
        Assert.True(code == 0, output);
        Assert.Contains("emitted to room ops as event 4", output, StringComparison.Ordinal);
        (code, output) = await RunAsync(python, [Path.Combine(Repository.Root, "samples", "python", "emit.py"), .. once]);
        Assert.True(code == 0, output);
        Assert.Contains("already in room ops as event 4 (cid job-7): not stored again", output, StringComparison.Ordinal);
        await ann.SendTextAsync("after the retries");
        Assert.Equal([("once", 4L), ("after the retries", 5L)], (await ann.ReceiveEventsAsync(2)).Select(e => (e.Text!, e.Id!.Value)));
    }

    [Fact]
    public async Task The_demo_emit_command_posts_to_members_on_every_node()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var kestrel = await RedisChatClusterTests.StartNodeAsync("kestrel", redis);
        await using var raw = await RedisChatClusterTests.StartNodeAsync("raw", redis);
        using var ann = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("ops", "ann"));
        using var bob = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("ops", "bob"));
        await ann.ReceiveUntilAsync(e => e.Name == "bob");

        var (code, output) = await DemoProcess.RunToEndAsync("emit", "--backplane", redis.Address, "--room", "ops", "--text", "deploy done");
        Assert.True(code == 0, output);
        var atAnn = (await ann.ReceiveUntilAsync(e => e.Type == "message"))[^1];
        var atBob = (await bob.ReceiveUntilAsync(e => e.Type == "message"))[^1];
        Assert.Equal(("emit", "deploy done", 3L), (atAnn.Name!, atAnn.Text!, atAnn.Id!.Value));
        Assert.Equal(atAnn.Raw, atBob.Raw);
    }

    [Fact]
    public async Task Emit_without_a_redis_backplane_or_with_a_bad_room_is_a_usage_error()
    {
        var (code, output) = await DemoProcess.RunToEndAsync("emit", "--room", "ops", "--text", "hi");
        Assert.Equal(2, code);
        Assert.Contains("--backplane redis://HOST:PORT", output, StringComparison.Ordinal);
        (code, output) = await DemoProcess.RunToEndAsync("emit", "--backplane", "redis://127.0.0.1:1", "--room", "no spaces", "--text", "hi");
        Assert.Equal(2, code);
        Assert.Contains("--room 'no spaces'", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout + await stderr);
    }
}
