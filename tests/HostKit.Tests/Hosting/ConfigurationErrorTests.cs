using HostKit.Conformance.Support;
using HostKit.Hosting;
using HostKit.Hosts;
using HostKit.Tests.Support;

namespace HostKit.Tests.Hosting;

/// <summary>
/// Every configuration and command-line mistake a newcomer makes is refused before anything starts, in one line that
/// says what was wrong, where, and what is valid, in HostKit's words, with exit code 2. Run on the Demo as a person runs it.
/// </summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-config-errors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(new[] { "--log-level", "Loud" }, "--log-level (HostKit:LogLevel) = 'Loud' is not valid: write one of Trace, Debug, Information, Warning, Error, Critical, None.")]
    [InlineData(new[] { "--workers", "abc" }, "--workers (HostKit:Workers) = 'abc' is not valid: write a whole number from 1 to 64.")]
    [InlineData(new[] { "--workers=-1" }, "--workers (HostKit:Workers) = '-1' is not valid: write a whole number from 1 to 64.")]
    [InlineData(new[] { "--workers", "0" }, "--workers (HostKit:Workers) = 0 is out of range: write a whole number from 1 to 64.")]
    [InlineData(new[] { "--urls", "" }, "--urls is empty: write it as http://IP:PORT")]
    [InlineData(new[] { "--urls", ";" }, "--urls (HostKit:Urls) = ';' names no address: write it as http://IP:PORT")]
    [InlineData(new[] { "--urls", "https://127.0.0.1:0" }, "https://127.0.0.1:0 asks for TLS, and no certificate is given: add --certfile FILE --keyfile FILE (PEM)")]
    [InlineData(new[] { "--certfile", "/nonexistent/server.crt", "--urls", "https://127.0.0.1:0" }, "--certfile (HostKit:CertFile) = '/nonexistent/server.crt': no such file (/nonexistent/server.crt); write the path of the server's certificate")]
    [InlineData(new[] { "--urls", "unix:" }, "--urls (HostKit:Urls) = 'unix:' names no socket file: write unix:PATH")]
    [InlineData(new[] { "--set", "HostKit:Http2=yes" }, "--http2 (HostKit:Http2) = 'yes' is not valid: write true or false.")]
    [InlineData(new[] { "--set", "HostKit:Hots=raw" }, "HostKit:Hots on the command line is not a setting HostKit or this application reads. Did you mean HostKit:Host?")]
    [InlineData(new[] { "--set", "HostKit:Chat:Tokne=secret" }, "HostKit:Chat:Tokne on the command line is not a setting HostKit or this application reads. Did you mean HostKit:Chat:Token?")]
    [InlineData(new[] { "--hots", "raw" }, "--hots is not an option of this program. Did you mean --host?")]
    [InlineData(new[] { "--workres=2" }, "--workres is not an option of this program. Did you mean --workers?")]
    [InlineData(new[] { "raw" }, "'raw' is an argument this program does not take: every setting is an option, written --name value. Did you mean --host raw?")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:0", "8080" }, "'8080' is an argument this program does not take: every setting is an option, written --name value. Did you mean --port 8080?")]
    [InlineData(new[] { "http://127.0.0.1:0" }, "'http://127.0.0.1:0' is an argument this program does not take: every setting is an option, written --name value. Did you mean --urls http://127.0.0.1:0?")]
    [InlineData(new[] { "workers", "2" }, "'workers' is an argument this program does not take: every setting is an option, written --name value. Did you mean --workers?")]
    [InlineData(new[] { "foo" }, "'foo' is an argument this program does not take: every setting is an option, written --name value.")]
    [InlineData(new[] { "--set", "Urls=http://127.0.0.1:0" }, "Urls on the command line is outside the HostKit section, where HostKit does not read it: write it as HostKit:Urls")]
    [InlineData(new[] { "--set", "HostKit:Limits:MaxRequestBodyBytes=lots" }, "HostKit:Limits:MaxRequestBodyBytes = 'lots' on the command line is not valid: write a whole number.")]
    [InlineData(new[] { "--set", "HostKit:Limits:MaxRequestLineBytes=" }, "HostKit:Limits:MaxRequestLineBytes = '' on the command line is not valid: write a whole number.")]
    [InlineData(new[] { "--set", "HostKit:Chat:HistoryCount=many" }, "HostKit:Chat:HistoryCount = 'many' on the command line is not valid: write a whole number.")]
    public async Task A_bad_command_line_is_one_clear_line_and_exit_code_2(string[] args, string expected)
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, ["--host", "kestrel", .. args]);
        AssertOneError(code, output, expected);
    }

    [Fact]
    public async Task A_mistyped_host_is_named_with_the_likely_one()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "rwa", "--urls", "http://127.0.0.1:0");
        AssertOneError(code, output, "Unknown host 'rwa'. Known hosts: kestrel, raw, ");
        Assert.EndsWith("Did you mean raw?", output.Split('\n').Single(l => l.StartsWith("error:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_on_httplistener_is_refused_naming_the_hosts_that_serve_it()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "httplistener", "--urls", "https://127.0.0.1:0");
        AssertOneError(code, output, "https://127.0.0.1:0 asks for TLS, which the host 'httplistener' does not serve: choose a host that does (kestrel, raw");
    }

    [Fact]
    public async Task A_unix_socket_on_httplistener_is_refused_naming_the_hosts_that_can()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "httplistener", "--uds", "/tmp/hk-refused.sock");
        AssertOneError(code, output, "unix:/tmp/hk-refused.sock is a unix socket, which the host 'httplistener' cannot listen on: choose a host that can (kestrel, raw");
    }

    [Fact]
    public async Task A_socket_in_a_missing_directory_fails_the_start_saying_so()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "raw", "--uds", "/tmp/hk-missing-directory/app.sock");
        Assert.Equal(HostRunner.StartFailure, code);
        Assert.Contains("The raw host cannot listen on unix:/tmp/hk-missing-directory/app.sock: the directory /tmp/hk-missing-directory does not exist.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_on_a_unix_socket_are_refused()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "raw", "--workers", "2", "--urls", "unix:/tmp/hk-workers.sock");
        AssertOneError(code, output, "--workers 2 shares a port between processes, and unix:/tmp/hk-workers.sock is a unix socket");
    }

    [Fact]
    public async Task Http2_on_raw_is_refused_naming_the_hosts_that_serve_it()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "raw", "--http2", "--urls", "http://127.0.0.1:0");
        AssertOneError(code, output, "--http2 (HostKit:Http2) asks for HTTP/2, which the host 'raw' does not serve: choose a host that does (kestrel), or leave --http2 out");
    }

    [Fact]
    public async Task A_certificate_without_an_https_address_is_refused()
    {
        var (certFile, keyFile) = ThrowawayCertificateAuthority.WritePem(_directory);
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "raw", "--urls", "http://127.0.0.1:0", "--certfile", certFile, "--keyfile", keyFile);
        AssertOneError(code, output, "--certfile (HostKit:CertFile) is set, and no address is https://: serve it with --urls https://IP:PORT");
    }

    [Fact]
    public async Task An_unknown_key_in_hostkit_json_names_the_file_and_the_likely_key()
    {
        var file = Path.Combine(_directory, "hostkit.json");
        await File.WriteAllTextAsync(file, """{ "HostKit": { "Hots": "raw" } }""");
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--urls", "http://127.0.0.1:0");
        AssertOneError(code, output, $"HostKit:Hots in {file} is not a setting HostKit or this application reads. Did you mean HostKit:Host? HostKit takes ");
    }

    [Theory]
    [InlineData("""{ "Host": "raw" }""", "Host in FILE is outside the HostKit section, where HostKit does not read it: write it as HostKit:Host (in a json file, { \"HostKit\": { \"Host\": ... } }).")]
    [InlineData("""{ "HotsKit": { "Host": "raw" } }""", "HotsKit in FILE is not a section HostKit reads. Did you mean HostKit?")]
    public async Task A_HostKit_setting_outside_its_section_in_hostkit_json_is_named(string json, string expected)
    {
        var file = Path.Combine(_directory, "hostkit.json");
        await File.WriteAllTextAsync(file, json);
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--urls", "http://127.0.0.1:0");
        AssertOneError(code, output, expected.Replace("FILE", file, StringComparison.Ordinal));
    }

    [Fact]
    public void The_valid_keys_an_unknown_key_lists_are_only_those_people_may_set()
    {
        var configuration = HostKitConfiguration.Build(new Dictionary<string, string?> { ["HostKit:Hots"] = "raw" }, new Dictionary<string, string>(), _directory, applicationDirectory: _directory);
        var error = Assert.Throws<HostStartException>(() => SettingsCheck.Check(configuration, HostKitSettings.Shape(new HostRunnerOptions())));
        const string Takes = " HostKit takes ";
        var listed = error.Message[(error.Message.IndexOf(Takes, StringComparison.Ordinal) + Takes.Length)..].TrimEnd('.').Split(", ");
        Assert.Contains("Workers", listed);
        Assert.Contains("Host", listed);
        Assert.DoesNotContain("Worker", listed); // set by the --workers supervisor for its workers, never by people

        // Still read where the supervisor sets it, and never offered as a "did you mean".
        var worker = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string> { ["HOSTKIT_WORKER__ID"] = "1", ["HOSTKIT_WORKER__URLS"] = "http://127.0.0.1:0" }, _directory, applicationDirectory: _directory);
        SettingsCheck.Check(worker, HostKitSettings.Shape(new HostRunnerOptions()));
        var typo = HostKitConfiguration.Build(new Dictionary<string, string?> { ["HostKit:Workes"] = "2" }, new Dictionary<string, string>(), _directory, applicationDirectory: _directory);
        Assert.Contains("Did you mean HostKit:Workers?", Assert.Throws<HostStartException>(() => SettingsCheck.Check(typo, HostKitSettings.Shape(new HostRunnerOptions()))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_applications_own_sections_beside_HostKit_are_left_to_it()
    {
        File.WriteAllText(Path.Combine(_directory, "hostkit.json"), """{ "HostKit": { "Host": "raw" }, "Orders": { "Shards": 4 }, "Logging": { "LogLevel": { "Default": "Warning" } } }""");
        var configuration = HostKitConfiguration.Build(new Dictionary<string, string?> { ["Greeting"] = "hello" }, new Dictionary<string, string>(), _directory, applicationDirectory: _directory);
        SettingsCheck.Check(configuration, HostKitSettings.Shape(new HostRunnerOptions()));
        Assert.Equal(("raw", "4"), (configuration["HostKit:Host"], configuration["Orders:Shards"]));
    }

    [Fact]
    public async Task Invalid_json_names_the_file_line_and_column()
    {
        var file = Path.Combine(_directory, "hostkit.json");
        await File.WriteAllTextAsync(file, "{\n  \"HostKit\": {\n    \"Host\": raw\n  }\n}\n");
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--urls", "http://127.0.0.1:0");
        AssertOneError(code, output, $"{file}:3:13: not valid json: ");
    }

    [Fact]
    public void Switches_in_the_environment_are_not_refused_since_HOSTKIT_is_shared_with_tests_and_scripts()
    {
        var configuration = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string> { ["HOSTKIT_REQUIRE_ALL"] = "1" }, _directory, applicationDirectory: _directory);
        SettingsCheck.Check(configuration, HostKitSettings.Shape(new HostRunnerOptions()));
        var malformed = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string> { ["HOSTKIT_WEBSOCKETS__CLOSETIMEOUT"] = "soon" }, _directory, applicationDirectory: _directory);
        var error = Assert.Throws<HostStartException>(() => SettingsCheck.Check(malformed, HostKitSettings.Shape(new HostRunnerOptions())));
        Assert.Equal("HostKit:WEBSOCKETS:CLOSETIMEOUT = 'soon' from the environment (HOSTKIT_*) is not valid: write a duration such as 00:00:30 (hh:mm:ss).", error.Message);
    }

    [Theory]
    [InlineData("HOSTKIT_HOTS", "raw", "HOSTKIT_HOTS from the environment (HOSTKIT_*) is not a setting HostKit or this application reads. Did you mean HOSTKIT_HOST? HostKit takes ")]
    [InlineData("HOSTKIT_LIMITS__MAXREQUESTBODYBYTE", "1", "HOSTKIT_LIMITS__MAXREQUESTBODYBYTE from the environment (HOSTKIT_*) is not a setting HostKit or this application reads. Did you mean HOSTKIT_LIMITS__MAXREQUESTBODYBYTES? ")]
    [InlineData("HOSTKIT_LIMITS__BODY", "1", "HOSTKIT_LIMITS__BODY from the environment (HOSTKIT_*) is not a setting HostKit or this application reads. HostKit:LIMITS takes ")]
    public void A_variable_one_typo_from_a_setting_or_inside_a_section_is_refused(string variable, string value, string expected)
    {
        var configuration = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string> { [variable] = value }, _directory, applicationDirectory: _directory);
        var error = Assert.Throws<HostStartException>(() => SettingsCheck.Check(configuration, HostKitSettings.Shape(new HostRunnerOptions())));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_applications_own_variable_is_no_unknown_key()
    {
        var backplane = new ConfigurationOption("--backplane", "HostKit:Chat:Backplane", "where rooms live") { EnvironmentVariable = "HOSTKIT_BACKPLANE" };
        var options = new HostRunnerOptions { Options = [backplane] };
        var configuration = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string> { ["HOSTKIT_BACKPLANE"] = "redis://127.0.0.1:6379" }, _directory, [backplane], _directory);
        SettingsCheck.Check(configuration, HostKitSettings.Shape(options));
        Assert.Equal("redis://127.0.0.1:6379", configuration["HostKit:Chat:Backplane"]);
        Assert.Null(configuration["HostKit:Backplane"]);
    }

    [Fact]
    public void Hostkit_json_is_read_from_the_working_directory_first_then_beside_the_application()
    {
        var working = Directory.CreateDirectory(Path.Combine(_directory, "solution")).FullName;
        var application = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        File.WriteAllText(Path.Combine(application, "hostkit.json"), """{ "HostKit": { "Host": "raw" } }""");
        var beside = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string>(), working, applicationDirectory: application);
        Assert.Equal(("raw", Path.Combine(application, "hostkit.json")), (beside["HostKit:Host"], HostKitConfiguration.JsonFile(beside)));

        File.WriteAllText(Path.Combine(working, "hostkit.json"), """{ "HostKit": { "Host": "httplistener" } }""");
        var here = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string>(), working, applicationDirectory: application);
        Assert.Equal(("httplistener", Path.Combine(working, "hostkit.json")), (here["HostKit:Host"], HostKitConfiguration.JsonFile(here)));

        var none = HostKitConfiguration.Build(new Dictionary<string, string?>(), new Dictionary<string, string>(), application + "-absent", applicationDirectory: application + "-absent");
        Assert.Null(HostKitConfiguration.JsonFile(none));
    }

    [Fact]
    public async Task The_start_log_names_the_json_file_it_read()
    {
        var file = Path.Combine(_directory, "settings.json");
        await File.WriteAllTextAsync(file, """{ "HostKit": { "LogLevel": "Information" } }""");
        await using var demo = await DemoProcess.StartAsync("raw", 0, "--config", file);
        Assert.Contains($"Configuration: {file}, then HOSTKIT_* variables and the command line", demo.Output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_list_printed_to_a_pipe_has_no_blank_or_space_padded_lines()
    {
        var (code, output) = await DemoProcess.RunToEndInAsync(_directory, "--host", "list");
        Assert.Equal(0, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("| host", lines[0], StringComparison.Ordinal);
        Assert.All(lines, line => Assert.True(line.Length > 0 && !line.EndsWith(' '), $"A blank or space-padded line in the host list: '{line}'"));
    }

    /// <summary>Exit code 2 and exactly one <c>error:</c> line, which starts with <paramref name="expected"/> (after <c>error: </c>).</summary>
    private static void AssertOneError(int code, string output, string expected)
    {
        var errors = output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.StartsWith("error: " + expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("ErrorOnUnknownConfiguration", output, StringComparison.Ordinal);
        Assert.Equal(HostRunner.UsageError, code);
    }
}
