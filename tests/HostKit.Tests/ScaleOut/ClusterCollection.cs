namespace HostKit.Tests.ScaleOut;

/// <summary>
/// The tests that start Redis, several Demo processes and nginx run one at a time: each starts up to four processes,
/// and on a 2-core machine several such tests at once would only make each other slow.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster of processes";
}
