using HostKit.Hosting;
using HostKit.Testing;

namespace HostKit.Tests.Conformance;

/// <summary>
/// The one class a host author writes to run the HostKit.Conformance package, written here for every host these
/// tests reference (found as the runner finds them, so a new host gets every case with no test edited) and the
/// in-memory host.
/// </summary>
public sealed class BuiltInHostsConformance() : ConformanceSuite([.. HostDiscovery.Discover().Hosts, new InMemoryHost()]);
