namespace HostKit.Fuzz;

/// <summary>Every target, by name.</summary>
internal static class Targets
{
    public static readonly IReadOnlyList<IFuzzTarget> All = [new HeadTarget(), new ChunkedTarget(), new WebSocketTarget(), new RequestTargetTarget()];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(target => target.Name == name);
}
