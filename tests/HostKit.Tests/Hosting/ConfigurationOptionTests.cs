using HostKit.Hosting;
using HostKit.Hosts;

namespace HostKit.Tests.Hosting;

/// <summary>An application's own options (<see cref="ConfigurationOption"/>), and <c>--workers</c>, as configuration keys.</summary>
public sealed class ConfigurationOptionTests : IDisposable
{
    private static readonly ConfigurationOption Backplane = new("--backplane", "HostKit:Chat:Backplane", "where rooms live") { EnvironmentVariable = "HOSTKIT_BACKPLANE" };
    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Microsoft.Extensions.Configuration.IConfiguration Load(string[] args, Dictionary<string, string>? environment = null)
    {
        var parsed = HostKitCommandLine.Parse(args, "test", [Backplane]);
        Assert.Empty(parsed.Errors);
        return HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed, [Backplane]), environment ?? [], _directory, [Backplane]);
    }

    [Fact]
    public void An_application_option_sets_its_key_from_the_command_line_its_own_variable_or_the_general_mapping()
    {
        Assert.Equal("redis://a:1", Load(["--backplane", "redis://a:1"])["HostKit:Chat:Backplane"]);
        Assert.Equal("redis://b:2", Load([], new() { ["HOSTKIT_BACKPLANE"] = "redis://b:2" })["HostKit:Chat:Backplane"]);
        Assert.Equal("redis://c:3", Load([], new() { ["HOSTKIT_CHAT__BACKPLANE"] = "redis://c:3" })["HostKit:Chat:Backplane"]);
        // The option's own variable beats the general mapping, and the command line beats both.
        Assert.Equal("redis://b:2", Load([], new() { ["HOSTKIT_CHAT__BACKPLANE"] = "redis://c:3", ["HOSTKIT_BACKPLANE"] = "redis://b:2" })["HostKit:Chat:Backplane"]);
        Assert.Equal("redis://a:1", Load(["--backplane", "redis://a:1"], new() { ["HOSTKIT_BACKPLANE"] = "redis://b:2" })["HostKit:Chat:Backplane"]);
    }

    [Fact]
    public void Without_the_application_option_it_is_an_unknown_option_and_the_runner_names_it()
    {
        var parsed = HostKitCommandLine.Parse(["--backplane", "redis://a:1"], "test");
        Assert.Contains(parsed.Errors, e => e.Message.Contains("--backplane", StringComparison.Ordinal));
    }

    [Fact]
    public void An_application_option_may_not_take_a_name_of_the_runner()
    {
        Assert.Throws<ArgumentException>(() => HostKitCommandLine.Parse([], "test", [new ConfigurationOption("--host", "X", "clash")]));
    }

    [Fact]
    public void Workers_is_a_number_from_1_to_64_and_a_worker_listens_where_its_supervisor_says()
    {
        Assert.Equal(4, HostKitSettings.From(Load(["--workers", "4"])).Workers);
        Assert.True(HostKitSettings.From(Load(["--workers", "4"])).IsSupervisor);
        Assert.Contains("--workers (HostKit:Workers) = 65 is out of range: write a whole number from 1 to 64", Assert.Throws<HostStartException>(() => HostKitSettings.From(Load(["--workers", "65"]))).Message, StringComparison.Ordinal);
        Assert.Contains("HostKit:Workers", Assert.Throws<HostStartException>(() => HostKitSettings.From(Load(["--workers", "two"]))).Message, StringComparison.Ordinal);

        var worker = HostKitSettings.From(Load(["--workers", "4", "--urls", "http://127.0.0.1:0"], new() { ["HOSTKIT_WORKER__ID"] = "3", ["HOSTKIT_WORKER__URLS"] = "http://127.0.0.1:4567" }));
        Assert.Equal((3, false, 4567), (worker.WorkerId!.Value, worker.IsSupervisor, worker.Urls[0].Port));
    }
}
