using System.Reflection;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using HostKit.Hosts.Uring;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace HostKit.Tests.Layering;

/// <summary>
/// The io_uring engine (<c>src/Engines.Uring</c>) is an engine, not a host: it knows nothing of HostKit, and its
/// adapter (<c>src/Hosts.Uring</c>) knows it and the kit, so the arrows point one way (adapter -> engine, adapter -> kit).
/// Read from the compiled assemblies, so a reference hidden in a method body counts as much as one in a signature.
/// </summary>
public sealed class UringEngineLayeringTests
{
    // Any HostKit namespace but the engine's own: the contract, the kit's floors, the hosts, the runner.
    private const string OtherHostKitNamespaces = @"^HostKit(?!\.Engines\.Uring(\.|$))(\..+)?$";

    private static readonly Assembly Engine = Assembly.Load(new AssemblyName("HostKit.Engines.Uring"));

    private static readonly Assembly Adapter = typeof(UringHost).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture EngineAndAdapter = new ArchLoader().LoadAssemblies(Engine, Adapter).Build();

    [Fact]
    public void The_engine_references_no_HostKit_assembly() =>
        Assert.DoesNotContain(Engine.GetReferencedAssemblies(), reference => reference.Name!.StartsWith("HostKit.", StringComparison.Ordinal));

    [Fact]
    public void No_engine_type_uses_a_HostKit_type_outside_the_engine() =>
        Types().That().ResideInAssembly(Engine).Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(OtherHostKitNamespaces)
            .Check(EngineAndAdapter);

    [Fact]
    public void The_adapter_stands_on_the_engine_and_the_kit()
    {
        Assert.Contains(Adapter.GetReferencedAssemblies(), reference => reference.Name == Engine.GetName().Name);
        Assert.Contains(Adapter.GetReferencedAssemblies(), reference => reference.Name == typeof(HostRuntime).Assembly.GetName().Name);
    }

    [Fact]
    public void The_rule_sees_the_dependencies_that_exist()
    {
        // The control for the rule above: the engine has types, and the same rule over the adapter (whose types do use
        // the kit's, from an assembly not loaded here) fails, so the engine passes because the arrow is absent.
        Assert.NotEmpty(Types().That().ResideInAssembly(Engine).GetObjects(EngineAndAdapter));
        Assert.False(Types().That().ResideInAssembly(Adapter).Should().NotDependOnAnyTypesThat().ResideInNamespace("HostKit.Hosts.Runtime")
            .HasNoViolations(EngineAndAdapter));
        Assert.False(Types().That().ResideInAssembly(Adapter).Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^HostKit\.Engines\.Uring(\..+)?$")
            .HasNoViolations(EngineAndAdapter));
    }
}
