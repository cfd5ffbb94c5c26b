using HostKit.Conformance.Support;
using HostKit.Hosting;
using HostKit.Hosts;

namespace HostKit.Tests.Hosting;

/// <summary>The settings an operator puts a server on the internet with: trusted proxies, the access log, TLS.</summary>
public sealed class OperatorSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-operator-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private HostKitSettings Load(string[] args, Dictionary<string, string>? environment = null)
    {
        var parsed = HostKitCommandLine.Parse(args, "test");
        Assert.Empty(parsed.Errors);
        return HostKitSettings.From(HostKitConfiguration.Build(HostKitCommandLine.ToConfiguration(parsed), environment ?? [], _directory));
    }

    [Fact]
    public void Forwarded_allow_ips_defaults_to_loopback_and_is_read_from_every_layer()
    {
        Assert.Equal("127.0.0.1", Load([]).ForwardedAllowIps.Text);
        Assert.Equal("10.0.0.0/8, 127.0.0.1", Load(["--forwarded-allow-ips", "10.0.0.0/8,127.0.0.1"]).ForwardedAllowIps.Text);
        Assert.Equal("*", Load([], new() { ["HOSTKIT_FORWARDEDALLOWIPS"] = "*" }).ForwardedAllowIps.Text);
        Assert.True(Load(["--forwarded-allow-ips", ""]).ForwardedAllowIps.IsEmpty);
        var refused = Assert.Throws<HostStartException>(() => Load(["--forwarded-allow-ips", "10.0.0.0/33"]));
        Assert.Contains("--forwarded-allow-ips (HostKit:ForwardedAllowIps) = '10.0.0.0/33' is not valid", refused.Message);
    }

    [Fact]
    public void Uds_and_unix_urls_are_read_from_every_layer_and_mix_with_tcp()
    {
        Assert.Equal([ListenAddress.UnixSocket("/run/app/app.sock")], Load(["--uds", "/run/app/app.sock"]).Urls);
        Assert.Equal([new Uri("http://127.0.0.1:0"), ListenAddress.UnixSocket("/run/app/app.sock")],
            Load(["--urls", "http://127.0.0.1:0", "--uds", "/run/app/app.sock"]).Urls);
        Assert.Equal([ListenAddress.UnixSocket("/run/a.sock"), new Uri("http://127.0.0.1:8000")], Load(["--urls", "unix:/run/a.sock;http://127.0.0.1:8000"]).Urls);
        Assert.Equal([ListenAddress.UnixSocket("/run/b.sock")], Load(["--urls", "unix:///run/b.sock"]).Urls);
        Assert.Equal([ListenAddress.UnixSocket("/run/c.sock")], Load([], new() { ["HOSTKIT_UDS"] = "/run/c.sock" }).Urls);
        File.WriteAllText(Path.Combine(_directory, "hostkit.json"), """{ "HostKit": { "Uds": "/run/d.sock" } }""");
        Assert.Equal([ListenAddress.UnixSocket("/run/d.sock")], Load([]).Urls);
        File.Delete(Path.Combine(_directory, "hostkit.json"));
        // A relative path is taken from the working directory, as uvicorn and gunicorn take it.
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "app.sock"), ListenAddress.UnixSocketPath(Load(["--uds", "app.sock"]).Urls.Single()));
        // A path with characters a URL would read otherwise comes back as written.
        Assert.Equal("/tmp/a b#1%2.sock", ListenAddress.UnixSocketPath(Load(["--uds", "/tmp/a b#1%2.sock"]).Urls.Single()));
    }

    [Fact]
    public void The_access_log_is_off_by_default_and_no_access_log_wins()
    {
        Assert.Null(Load([]).AccessLog);
        Assert.Equal(AccessLogFormat.Combined, Load(["--access-log"]).AccessLog);
        Assert.Equal(AccessLogFormat.Json, Load(["--access-log-format", "json"]).AccessLog);
        Assert.Equal(AccessLogFormat.Json, Load([], new() { ["HOSTKIT_ACCESSLOG"] = "true", ["HOSTKIT_ACCESSLOGFORMAT"] = "JSON" }).AccessLog);
        Assert.Null(Load(["--access-log", "--no-access-log"], new() { ["HOSTKIT_ACCESSLOG"] = "true" }).AccessLog);
        var refused = Assert.Throws<HostStartException>(() => Load(["--access-log-format", "apache"]));
        Assert.Contains("'combined' or 'json'", refused.Message);
    }

    [Fact]
    public void A_pem_certificate_and_key_are_read_from_the_command_line_the_environment_and_hostkit_json()
    {
        var (certFile, keyFile) = ThrowawayCertificateAuthority.WritePem(_directory);
        Assert.Null(Load([]).Tls);
        Assert.Equal(ThrowawayCertificateAuthority.Server.Thumbprint, Load(["--certfile", certFile, "--keyfile", keyFile]).Tls!.Certificate.Thumbprint);
        Assert.True(Load([], new() { ["HOSTKIT_CERTFILE"] = certFile, ["HOSTKIT_KEYFILE"] = keyFile }).Tls!.Certificate.HasPrivateKey);
        File.WriteAllText(Path.Combine(_directory, "hostkit.json"), $$"""{ "HostKit": { "CertFile": "{{certFile}}", "KeyFile": "{{keyFile}}" } }""");
        Assert.NotNull(Load([]).Tls);
    }

    [Fact]
    public void The_key_may_sit_in_the_certificate_file_and_the_chain_after_it()
    {
        var (certFile, keyFile) = ThrowawayCertificateAuthority.WritePem(_directory);
        var both = Path.Combine(_directory, "both.pem");
        File.WriteAllText(both, File.ReadAllText(certFile) + ThrowawayCertificateAuthority.Ca.ExportCertificatePem() + "\n" + File.ReadAllText(keyFile));
        var tls = Load(["--certfile", both]).Tls!;
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal(ThrowawayCertificateAuthority.Ca.Thumbprint, Assert.Single(tls.Chain).Thumbprint);
    }

    [Fact]
    public void A_pkcs12_file_is_read_with_its_password()
    {
        var pfx = ThrowawayCertificateAuthority.WritePkcs12(_directory, "s3cret");
        Assert.True(Load(["--certfile", pfx], new() { ["HOSTKIT_KEYFILEPASSWORD"] = "s3cret" }).Tls!.Certificate.HasPrivateKey);
        var wrong = Assert.Throws<HostStartException>(() => Load(["--certfile", pfx, "--keyfile-password", "guess"]));
        Assert.StartsWith($"--certfile (HostKit:CertFile) = '{pfx}' is a PKCS#12 file that cannot be opened with the password given: give its password with --keyfile-password", wrong.Message);
        var none = Assert.Throws<HostStartException>(() => Load(["--certfile", pfx]));
        Assert.Contains("cannot be opened without a password", none.Message);
    }

    [Fact]
    public void A_missing_unreadable_keyless_or_mismatched_certificate_is_one_clear_error()
    {
        var (certFile, keyFile) = ThrowawayCertificateAuthority.WritePem(_directory);
        var missing = Path.Combine(_directory, "absent.key");
        Assert.StartsWith($"--keyfile (HostKit:KeyFile) = '{missing}': no such file ({missing}); write the path of the certificate's private key",
            Assert.Throws<HostStartException>(() => Load(["--certfile", certFile, "--keyfile", missing])).Message);
        // A directory stands for a file the server cannot read (the tests run as root, who can read any file).
        Assert.StartsWith($"--certfile (HostKit:CertFile) = '{_directory}' cannot be read: ",
            Assert.Throws<HostStartException>(() => Load(["--certfile", _directory, "--keyfile", keyFile])).Message);
        Assert.Equal($"--certfile (HostKit:CertFile) = '{certFile}' holds no private key: give its key with --keyfile FILE (PEM).",
            Assert.Throws<HostStartException>(() => Load(["--certfile", certFile])).Message);
        var otherKey = Path.Combine(_directory, "other.key");
        using (var other = System.Security.Cryptography.RSA.Create(2048))
            File.WriteAllText(otherKey, other.ExportPkcs8PrivateKeyPem());
        Assert.Equal($"--keyfile (HostKit:KeyFile) = '{otherKey}' is not the key of the certificate in --certfile (HostKit:CertFile) = '{certFile}' (CN=localhost): give the key that certificate was made with.",
            Assert.Throws<HostStartException>(() => Load(["--certfile", certFile, "--keyfile", otherKey])).Message);
        Assert.StartsWith("--keyfile (HostKit:KeyFile) = ",
            Assert.Throws<HostStartException>(() => Load(["--certfile", certFile, "--keyfile", certFile])).Message);
    }
}
