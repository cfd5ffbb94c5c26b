using System.Text.Json;
using System.Text.Json.Serialization;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Bench.Report;

/// <summary>results.json: every raw run, the tool versions, the machine and the command line. Rewritten after each run, so an interrupted run keeps what it measured.</summary>
internal sealed class ResultsFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Quick { get; init; }

    public required string CommandLine { get; init; }

    /// <summary>The application measured with <c>--app</c>, or null for the Demo (whose rows the targets of issue 24 judge).</summary>
    public string? App { get; init; }

    public DateTimeOffset StartedUtc { get; init; }

    public DateTimeOffset? FinishedUtc { get; set; }

    public required MachineInfo Machine { get; init; }

    public string? LoadAverageAtEnd { get; set; }

    public required RunSettingsView Settings { get; init; }

    public required IReadOnlyDictionary<string, string> Tools { get; init; }

    public required IReadOnlyList<ServerView> Servers { get; init; }

    public required IReadOnlyList<WorkloadView> Workloads { get; init; }

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public List<RunRecord> Runs { get; } = [];

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    /// <summary>Reads a results.json written by <see cref="Save"/> (to summarise a run again without re-running it).</summary>
    public static ResultsFile Load(string path) =>
        JsonSerializer.Deserialize<ResultsFile>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds no results");

    /// <summary>The settings as written to results.json.</summary>
    public sealed record RunSettingsView(double WarmupSeconds, double DurationSeconds, int Rounds, string ServerCore, string LoadCore, double ClientBoundFraction);

    /// <summary>A server as written to results.json; <paramref name="Variant"/> only for an operator-cost variant (absent otherwise).</summary>
    public sealed record ServerView(string Name, ServerGroup Group, string Description, string? MissingReason, ServerVariant? Variant = null)
    {
        public static ServerView Of(ServerSpec spec) => new(spec.Name, spec.Group, spec.Description, spec.MissingReason, spec.Variant);
    }

    /// <summary>A workload as written to results.json.</summary>
    public sealed record WorkloadView(string Id, string Title, string Unit, WorkloadKind Kind, bool OnlyWhereServed = false, bool CountsWireBytes = false)
    {
        public static WorkloadView Of(Workload workload) => new(workload.Id, workload.Title, workload.Unit, workload.Kind, workload.OnlyWhereServed, workload.CountsWireBytes);

        /// <summary>True when <paramref name="row"/> is left out of the report: a server that does not serve what this workload needs.</summary>
        public bool Hides(RowSummary? row) => OnlyWhereServed && row is { Status: RunStatus.Unsupported };
    }
}
