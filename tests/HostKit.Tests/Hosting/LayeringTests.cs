using System.Reflection;

namespace HostKit.Tests.Hosting;

/// <summary>The arrows of DESIGN.md point down only: the contract knows no engine, the runner knows hosts only through discovery.</summary>
public class LayeringTests
{
    private static readonly Assembly Contract = typeof(Application).Assembly;
    private static readonly Assembly HostKitShared = typeof(HostKit.Hosts.IServerHost).Assembly;
    private static readonly Assembly Runner = typeof(HostKit.Hosting.HostRunner).Assembly;
    private static readonly Assembly Raw = typeof(HostKit.Hosts.Raw.RawHost).Assembly;

    [Fact]
    public void The_contract_depends_on_the_bcl_only()
    {
        Assert.All(Contract.GetReferencedAssemblies(), r => Assert.True(r.Name == "System" || r.Name!.StartsWith("System.", StringComparison.Ordinal), r.Name));
    }

    [Fact]
    public void The_runner_references_no_host()
    {
        Assert.DoesNotContain(Runner.GetReferencedAssemblies(), r => r.Name!.StartsWith("HostKit.Hosts.", StringComparison.Ordinal) && r.Name != HostKitShared.GetName().Name);
    }

    [Theory]
    [InlineData("runner")]
    [InlineData("raw")]
    public void An_app_on_the_runner_and_the_raw_host_carries_no_aspnetcore(string start)
    {
        var closure = Closure(start == "runner" ? Runner : Raw);
        Assert.DoesNotContain(closure, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_chat_and_its_redis_backplane_reference_no_host_and_no_runner()
    {
        var closure = Closure(typeof(HostKit.Chat.Redis.RedisChatBackplane).Assembly);
        Assert.Contains("HostKit.Chat", closure);
        Assert.DoesNotContain(closure, name => name.StartsWith("HostKit.Hosts", StringComparison.Ordinal) || name == Runner.GetName().Name);
    }

    /// <summary>Every HostKit assembly reachable from <paramref name="root"/>, and the names of everything they reference.</summary>
    private static HashSet<string> Closure(Assembly root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (names.Add(reference.Name!) && reference.Name!.StartsWith("HostKit.", StringComparison.Ordinal))
                    pending.Push(Assembly.Load(reference));
            }
        }
        return names;
    }
}
