using HostKit.Bench.Report;

namespace HostKit.Tests.Bench;

/// <summary>What the report says about the run it comes from: the Demo's targets only for the Demo, the command as typed.</summary>
public class MarkdownReportTests
{
    [Fact]
    public void The_demo_report_judges_the_targets()
    {
        var report = MarkdownReport.Write(new ResultsSummary(Results(app: null, "dotnet run -c Release --project bench/HostKit.Bench -- --rounds 3")), []);
        Assert.Contains("## Targets (issue 24)", report, StringComparison.Ordinal);
        Assert.Contains("- Command: `dotnet run -c Release --project bench/HostKit.Bench -- --rounds 3`", report, StringComparison.Ordinal);
    }

    [Fact]
    public void An_apps_report_has_no_targets_of_the_demo_and_its_command_as_typed()
    {
        var command = "dotnet tool exec HostKit.Bench -- --app MyApp --http path=/";
        var report = MarkdownReport.Write(new ResultsSummary(Results(app: "MyApp", command)), []);
        Assert.DoesNotContain("Targets", report, StringComparison.Ordinal);
        Assert.Contains($"- Command: `{command}`", report, StringComparison.Ordinal);
    }

    private static ResultsFile Results(string? app, string command) => new()
    {
        App = app,
        CommandLine = command,
        StartedUtc = DateTimeOffset.UnixEpoch,
        Machine = new MachineInfo("cpu", 2, "6.1", "Debian 12", ".NET 10", "24 GiB", "0.1 0.1 0.1"),
        Settings = new ResultsFile.RunSettingsView(20, 5, 3, "0", "1", 0.9),
        Tools = new Dictionary<string, string>(),
        Servers = [],
        Workloads = [],
    };
}
