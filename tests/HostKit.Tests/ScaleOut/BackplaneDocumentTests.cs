using HostKit.Chat.Redis;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>docs/backplane.md is what other languages write from: its scripts must be the code's, and so must the Python emitter's.</summary>
public class BackplaneDocumentTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(Repository.Root, "docs", "backplane.md"));

    [Fact]
    public void The_document_quotes_every_script_exactly_as_the_backplane_runs_it()
    {
        Assert.Contains("```lua\n" + RedisChatScripts.Event + "```", Document, StringComparison.Ordinal);
        Assert.Contains("```lua\n" + RedisChatScripts.AppendBody + "```", Document, StringComparison.Ordinal);
        Assert.Contains("```lua\n" + RedisChatScripts.ReadBody + "```", Document, StringComparison.Ordinal);
        Assert.Contains("```lua\n" + RedisChatScripts.PresenceBody + "```", Document, StringComparison.Ordinal);
        Assert.Contains("```lua\n" + RedisChatScripts.Nodes + "```", Document, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scripts_that_append_events_run_the_shared_event_steps_first()
    {
        // One rule for every event (id, time, epoch, trim, publish): the append and presence scripts carry event.lua.
        Assert.Equal(RedisChatScripts.Event + RedisChatScripts.AppendBody, RedisChatScripts.Append);
        Assert.Equal(RedisChatScripts.Event + RedisChatScripts.PresenceBody, RedisChatScripts.Presence);
        Assert.Equal(RedisChatScripts.Event + RedisChatScripts.ReadBody, RedisChatScripts.Read);
        Assert.DoesNotContain("'XADD'", RedisChatScripts.AppendBody, StringComparison.Ordinal);
        Assert.DoesNotContain("'XADD'", RedisChatScripts.PresenceBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_python_emitter_carries_the_documented_append_script()
    {
        var python = File.ReadAllText(Path.Combine(Repository.Root, "samples", "python", "emit.py"));
        Assert.Contains("APPEND_SCRIPT = \"\"\"\\\n" + RedisChatScripts.Append + "\"\"\"", python, StringComparison.Ordinal);
    }

    [Fact]
    public void The_document_names_the_keys_the_backplane_uses()
    {
        var keys = new RedisChatKeys("lobby");
        Assert.Contains($"`{keys.LastId}`", Document, StringComparison.Ordinal);
        Assert.Contains($"`{keys.Events}`", Document, StringComparison.Ordinal);
        Assert.Contains($"`{keys.Written}`", Document, StringComparison.Ordinal);
        Assert.Equal("hostkit:chat:{lobby}:appended", keys.Appended);
        Assert.Contains($"`{RedisChatKeys.Nodes}`", Document, StringComparison.Ordinal);
        Assert.Contains($"`{keys.Members("NODE").Replace("lobby", "R", StringComparison.Ordinal)}`", Document, StringComparison.Ordinal);
        Assert.Contains($"`{RedisChatKeys.NodeRooms("NODE")}`", Document, StringComparison.Ordinal);
    }
}
