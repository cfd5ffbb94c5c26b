using System.Reflection;
using System.Xml.Linq;
using HostKit.Tests.Support;

namespace HostKit.Tests.Conformance;

/// <summary>
/// The HostKit.Conformance package's own wiring: its build file writes a test class for every case class, and it finds
/// the hosts to test in the one class a test project writes, or says what to write.
/// </summary>
public class ConformancePackageTests
{
    private static readonly Assembly Package = typeof(ConformanceSuite).Assembly;

    [Fact]
    public void The_build_file_writes_a_test_class_for_every_case_class_of_the_package()
    {
        var cases = Package.GetExportedTypes()
            .Where(t => t.Namespace == "HostKit.Conformance.Cases" && t.IsAbstract && t.GetMethods().Any(IsTest))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        var targets = XDocument.Load(Path.Combine(Repository.Root, "src/Conformance/build/HostKit.Conformance.targets"));
        var listed = targets.Descendants().Where(e => e.Name.LocalName == "HostKitConformanceCase")
            .Select(e => (string)e.Attribute("Include")!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(cases);
        Assert.Equal(cases, listed);
        // And the classes it wrote are here, in this test assembly, where xunit runs them.
        Assert.All(cases, name => Assert.True(
            typeof(ConformancePackageTests).Assembly.GetType($"HostKit.Tests.Conformance.{name}")?.IsSubclassOf(Package.GetType($"HostKit.Conformance.Cases.{name}")!) == true,
            $"No test class HostKit.Tests.Conformance.{name} derives from the package's case class."));
    }

    [Fact]
    public void The_hosts_come_from_the_test_projects_suite_class()
    {
        var hosts = ConformanceSuites.Discover([typeof(ConformancePackageTests).Assembly]);
        Assert.Equal(new BuiltInHostsConformance().Hosts.Select(h => h.Name), hosts.Hosts.Select(h => h.Name));
        Assert.Contains(hosts.Hosts, h => h.Name == "memory");
    }

    [Fact]
    public void A_test_project_without_a_suite_class_is_told_what_to_write()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ConformanceSuites.Discover([Package]));
        Assert.Contains("public sealed class MyHostConformance() : HostKit.Conformance.ConformanceSuite(new MyHost());", error.Message, StringComparison.Ordinal);
    }

    private static bool IsTest(MethodInfo method) => method.GetCustomAttributes<FactAttribute>(inherit: true).Any();
}
