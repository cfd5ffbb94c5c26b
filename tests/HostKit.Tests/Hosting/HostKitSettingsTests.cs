using HostKit.Hosting;

using HostKit.Hosts;

namespace HostKit.Tests.Hosting;

public sealed class HostKitSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private HostKitSettings Load(string[] args, Dictionary<string, string>? environment = null)
    {
        var parsed = HostKitCommandLine.Parse(args, "test");
        Assert.Empty(parsed.Errors);
        return HostKitSettings.From(HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed), environment ?? [], _directory));
    }

    [Fact]
    public void Defaults_are_the_default_host_on_loopback_port_8000()
    {
        var settings = Load([]);
        Assert.Null(settings.Host);
        Assert.Equal([new Uri("http://127.0.0.1:8000")], settings.Urls);
    }

    [Fact]
    public void Unsafe_inline_io_is_off_unless_asked_for_and_a_malformed_value_is_named()
    {
        Assert.False(Load([]).UnsafeInlineIo);
        Assert.True(Load(["--set", "HostKit:UnsafeInlineIo=true"]).UnsafeInlineIo);
        Assert.True(Load([], new() { ["HOSTKIT_UNSAFEINLINEIO"] = "True" }).UnsafeInlineIo);
        var refused = Assert.Throws<HostStartException>(() => Load(["--set", "HostKit:UnsafeInlineIo=yes"]));
        Assert.Contains("HostKit:UnsafeInlineIo = 'yes'", refused.Message);
    }

    [Fact]
    public void Command_line_beats_environment_beats_json_file()
    {
        File.WriteAllText(Path.Combine(_directory, "hostkit.json"), """{ "HostKit": { "Host": "httplistener", "Urls": "http://127.0.0.1:1111", "WebSockets": { "MaxMessageBytes": 2048 } } }""");
        Assert.Equal(("httplistener", 1111, 2048), Summary(Load([])));
        Assert.Equal(("raw", 2222, 2048), Summary(Load([], new() { ["HOSTKIT_HOST"] = "raw", ["HOSTKIT_URLS"] = "http://127.0.0.1:2222" })));
        Assert.Equal(("kestrel", 3333, 2048), Summary(Load(["--host", "kestrel", "--port", "3333"], new() { ["HOSTKIT_HOST"] = "raw", ["HOSTKIT_URLS"] = "http://127.0.0.1:2222" })));

        static (string?, int, int) Summary(HostKitSettings s) => (s.Host, s.Urls[0].Port, s.WebSockets.MaxMessageBytes);
    }

    [Fact]
    public void Urls_take_a_semicolon_separated_list_and_port_zero()
    {
        var settings = Load(["--urls", "http://127.0.0.1:0;http://[::1]:0"]);
        Assert.Equal(["http://127.0.0.1:0/", "http://[::1]:0/"], settings.Urls.Select(u => u.ToString()));
    }

    [Theory]
    [InlineData("--urls", "ftp://127.0.0.1:21", "not a listen address")]
    [InlineData("--urls", "127.0.0.1:8000", "not a listen address")]
    [InlineData("--port", "http", "--port must be a number")]
    [InlineData("--log-level", "loud", "HostKit:LogLevel")]
    public void Malformed_values_are_clear_errors(string option, string value, string expected)
    {
        var error = Assert.Throws<HostStartException>(() => Load([option, value]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_an_error_that_names_it()
    {
        var error = Assert.Throws<HostStartException>(() => Load(["--config", "absent.json"]));
        Assert.Contains("absent.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".hostkit.json")]
    [InlineData("settings/.hidden.json")]
    [InlineData("plain.json")]
    public void A_named_config_file_is_read_even_when_its_name_starts_with_a_dot(string name)
    {
        // Regression: the json provider's default file provider skips dot-files, so `--config .hostkit.json` was ignored.
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{ "HostKit": { "Host": "raw", "Urls": "http://127.0.0.1:4444" } }""");
        var settings = Load(["--config", name]);
        Assert.Equal(("raw", 4444), (settings.Host, settings.Urls[0].Port));
    }

    [Fact]
    public void A_config_file_that_is_not_json_or_is_a_directory_is_an_error_that_says_why()
    {
        File.WriteAllText(Path.Combine(_directory, "broken.json"), "{ not json");
        Assert.Contains("not valid json", Assert.Throws<HostStartException>(() => Load(["--config", "broken.json"])).Message, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_directory, "folder.json"));
        Assert.Contains("is a directory", Assert.Throws<HostStartException>(() => Load(["--config", "folder.json"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_options_are_refused_by_the_parser()
    {
        Assert.NotEmpty(HostKitCommandLine.Parse(["--hots", "raw"], "test").Errors);
    }

    [Fact]
    public void Set_gives_any_configuration_key_and_beats_the_environment()
    {
        var parsed = HostKitCommandLine.Parse(["--set", "HostKit:Chat:Token=from-cli", "--set", "HostKit:Chat:HistoryCount=5"], "test");
        Assert.Empty(parsed.Errors);
        var configuration = HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed), new Dictionary<string, string> { ["HOSTKIT_CHAT__TOKEN"] = "from-env", ["HOSTKIT_CHAT__MAXMESSAGEBYTES"] = "100" }, _directory);
        Assert.Equal(("from-cli", "5", "100"), (configuration["HostKit:Chat:Token"], configuration["HostKit:Chat:HistoryCount"], configuration["HostKit:Chat:MaxMessageBytes"]));
    }

    [Theory]
    [InlineData("HostKit:Chat:Token")]
    [InlineData("=value")]
    public void Set_without_a_key_and_value_is_a_parse_error(string setting)
    {
        var errors = HostKitCommandLine.Parse(["--set", setting], "test").Errors;
        Assert.Contains(errors, e => e.Message.Contains("KEY=VALUE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_application_is_built_from_the_runners_configuration_and_logger_factory()
    {
        using var stop = new CancellationTokenSource();
        Microsoft.Extensions.Configuration.IConfiguration? seen = null;
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null;
        var exit = await HostRunner.RunAsync(context =>
        {
            (seen, loggerFactory) = (context.Configuration, context.LoggerFactory);
            stop.Cancel();
            return (_, start) =>
            {
                start(204, []);
                return Body.Empty;
            };
        }, ["--host", "memory", "--set", "HostKit:Chat:Token=abc"], new HostRunnerOptions
        {
            Hosts = new HostRegistry(new HostKit.Testing.InMemoryHost()),
            Sections = [new SettingsSection("HostKit:Chat", typeof(HostKit.Chat.ChatOptions))],
        }, stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, exit);
        Assert.Equal("abc", seen?["HostKit:Chat:Token"]);
        Assert.NotNull(loggerFactory);
    }

    [Fact]
    public async Task A_configuration_error_from_the_application_is_exit_code_2()
    {
        var exit = await HostRunner.RunAsync(_ => throw new InvalidOperationException("HostKit:Chat:HistoryCount is out of range"),
            ["--host", "memory"], hosts: new HostRegistry(new HostKit.Testing.InMemoryHost())).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HostRunner.UsageError, exit);
    }
}
