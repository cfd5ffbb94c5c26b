using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using HostKit.Engines.KestrelH2c;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace HostKit.Tests.Layering;

/// <summary>
/// The host kit's floors point one way: the sans-I/O protocol (<c>HostKit.Hosts.Protocol</c>) knows nothing above it,
/// the runtime (<c>HostKit.Hosts.Runtime</c>) knows the protocol, and the engine seam (<c>HostKit.Hosts</c>) knows both.
/// Read from the compiled kit, so a reference hidden in a method body counts as much as one in a signature.
/// Beside the kit, the Kestrel extension that serves h2c by prior knowledge (src/Engines.KestrelH2c) stands below it all:
/// a patch to the engine that knows no HostKit assembly, so that it is deleted whole when Kestrel does this itself.
/// </summary>
public sealed class HostKitFloorsTests
{
    private const string ProtocolNamespace = "HostKit.Hosts.Protocol";
    private const string RuntimeNamespace = "HostKit.Hosts.Runtime";
    private const string SeamNamespace = "HostKit.Hosts";

    private static readonly ArchUnitNET.Domain.Architecture Kit = new ArchLoader().LoadAssemblies(typeof(HostRuntime).Assembly).Build();

    private static readonly System.Reflection.Assembly H2cAssembly = typeof(H2cPriorKnowledge).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture H2c = new ArchLoader().LoadAssemblies(H2cAssembly).Build();

    private static readonly IObjectProvider<IType> H2cTypes = Types().That().ResideInAssembly(H2cAssembly).As("the Kestrel h2c extension");

    private static readonly IObjectProvider<IType> Protocol = Types().That().ResideInNamespace(ProtocolNamespace).As("the protocol floor");

    private static readonly IObjectProvider<IType> Runtime = Types().That().ResideInNamespace(RuntimeNamespace).As("the runtime floor");

    private static readonly IObjectProvider<IType> Seam = Types().That().ResideInNamespace(SeamNamespace).As("the engine seam");

    [Fact]
    public void The_protocol_knows_neither_the_runtime_nor_the_engine_seam() =>
        Types().That().Are(Protocol).Should().NotDependOnAny(Runtime).AndShould().NotDependOnAny(Seam).Check(Kit);

    [Fact]
    public void The_protocol_does_no_io() =>
        Types().That().Are(Protocol).Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^System\.(Net\.Sockets|IO\.Pipelines)$").Check(Kit);

    [Fact]
    public void The_runtime_does_not_know_the_engine_seam() =>
        Types().That().Are(Runtime).Should().NotDependOnAny(Seam).Check(Kit);

    [Fact]
    public void Every_kit_type_lives_on_one_of_the_three_floors() =>
        Types().That().ResideInNamespaceMatching(@"^HostKit\.Hosts(\..+)?$").Should()
            .ResideInNamespace(SeamNamespace).OrShould().ResideInNamespace(ProtocolNamespace).OrShould().ResideInNamespace(RuntimeNamespace)
            .Check(Kit);

    [Fact]
    public void The_rules_see_the_dependencies_that_exist()
    {
        // The control for the rules above: each floor has types, and a rule against an arrow that does exist (the seam
        // uses the runtime and the protocol) fails, so a rule passes because the arrow is absent, not because it saw nothing.
        Assert.NotEmpty(Protocol.GetObjects(Kit));
        Assert.NotEmpty(Runtime.GetObjects(Kit));
        Assert.NotEmpty(Seam.GetObjects(Kit));
        Assert.False(Types().That().Are(Seam).Should().NotDependOnAny(Runtime).HasNoViolations(Kit));
        Assert.False(Types().That().Are(Runtime).Should().NotDependOnAny(Protocol).HasNoViolations(Kit));
    }

    [Fact]
    public void The_floors_are_free_of_cycles() =>
        Slices().Matching("HostKit.Hosts.(*)").Should().BeFreeOfCycles().Check(Kit);

    [Fact]
    public void The_kestrel_h2c_extension_depends_on_no_HostKit_assembly()
    {
        Types().That().Are(H2cTypes).Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^HostKit(\.(?!Engines\.KestrelH2c$).*)?$").Check(H2c);
        Assert.DoesNotContain(H2cAssembly.GetReferencedAssemblies(), r => r.Name!.StartsWith("HostKit.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_h2c_rule_sees_the_dependencies_that_exist()
    {
        // The control: the extension has types, and a rule against what it does use (Kestrel) fails.
        Assert.NotEmpty(H2cTypes.GetObjects(H2c));
        Assert.False(Types().That().Are(H2cTypes).Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^Microsoft\.AspNetCore\..*$").HasNoViolations(H2c));
    }
}
