using HostKit.Conformance;

namespace HostKit.Samples.MinimalHost.Tests;

/// <summary>Runs HostKit's conformance suite on the minimal host: every case its capabilities select.</summary>
public sealed class MinimalHostConformance() : ConformanceSuite(new MinimalHost());
