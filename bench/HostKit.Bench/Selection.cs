using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Bench;

/// <summary>Applies --hosts and --workloads; an unknown name is an error that lists the known ones.</summary>
internal static class Selection
{
    /// <summary>
    /// The servers <paramref name="selection"/> names, in report order. The operator-cost variants run only when asked for
    /// (by name, or the group <see cref="OperatorVariants.Group"/>), never in <c>all</c>, <c>hostkit</c> or <c>baselines</c>;
    /// a variant brings the host it is read against, since its figures are ratios to that host's.
    /// </summary>
    public static IReadOnlyList<ServerSpec> Servers(IReadOnlyList<ServerSpec> all, string selection)
    {
        var chosen = new List<ServerSpec>();
        foreach (var name in Split(selection))
        {
            IEnumerable<ServerSpec> matches = name switch
            {
                "all" => all.Where(s => s.Group != ServerGroup.OperatorVariant),
                "hostkit" => all.Where(s => s.Group == ServerGroup.HostKit),
                "bare" => all.Where(s => s.Group == ServerGroup.Bare),
                "python" => all.Where(s => s.Group == ServerGroup.Python),
                "node" => all.Where(s => s.Group == ServerGroup.Node),
                "baselines" => all.Where(s => s.Group is not ServerGroup.HostKit and not ServerGroup.OperatorVariant),
                OperatorVariants.Group => all.Any(s => s.Group == ServerGroup.OperatorVariant)
                    ? all.Where(s => s.Group == ServerGroup.OperatorVariant)
                    : throw new ArgumentException($"{OperatorVariants.Group}: the operator-cost variants are the Demo's on {string.Join(" and ", OperatorVariants.Hosts)}; this run has none (they are not made for --app)."),
                _ => all.Where(s => s.Name == name) is var named && named.Any()
                    ? named
                    : throw new ArgumentException($"Unknown server '{name}'. Known: {string.Join(", ", all.Select(s => s.Name))}, or all, hostkit, bare, python, node, baselines{(all.Any(s => s.Variant is not null) ? $", {OperatorVariants.Group}" : "")}."),
            };
            foreach (var match in matches)
            {
                IEnumerable<ServerSpec> withBase = match.Variant is { } variant ? all.Where(s => s.Name == variant.Of).Append(match) : [match];
                chosen.AddRange(withBase.Where(m => !chosen.Contains(m)));
            }
        }
        // Report order, whatever order they were named in.
        return [.. all.Where(chosen.Contains)];
    }

    public static IReadOnlyList<Workload> Workloads(IReadOnlyList<Workload> all, string selection)
    {
        var chosen = new HashSet<Workload>();
        foreach (var name in Split(selection))
        {
            var matches = name == "all" ? all
                : name.EndsWith('*') ? all.Where(w => w.Id.StartsWith(name[..^1], StringComparison.Ordinal)).ToList()
                : all.Where(w => w.Id == name).ToList();
            if (matches.Count == 0)
                throw new ArgumentException($"Unknown workload '{name}'. Known: {string.Join(", ", all.Select(w => w.Id))}, prefixes like ws-*, or all.");
            chosen.UnionWith(matches);
        }
        return [.. all.Where(chosen.Contains)];
    }

    private static IEnumerable<string> Split(string selection) =>
        selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant() == "all" ? "all" : s);
}
