using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// Debian's <c>sslscan</c> against each host that serves TLS: SSL 2/3, TLS 1.0 and 1.1 are refused, TLS 1.2 and 1.3
/// served, and every cipher suite it can negotiate is one sslscan rates strong or acceptable and is an AEAD suite
/// (AES-GCM or ChaCha20-Poly1305). Skipped, saying so, where sslscan is not installed (a failure under HOSTKIT_REQUIRE_ALL=1).
/// </summary>
public abstract class TlsScanConformanceTests
{
    public static TheoryData<string> TlsHosts => ConformanceHosts.Supporting(HostCapabilities.Tls | HostCapabilities.Network);

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task Sslscan_finds_no_old_protocol_and_no_weak_cipher(string host)
    {
        var sslscan = RequireSslScan();
        await using var server = await ServerUnderTest.StartAsync(host, options => options with
        {
            Urls = [new Uri("https://127.0.0.1:0")],
            Tls = ThrowawayCertificateAuthority.ServerTls,
        });

        var report = XDocument.Parse(await RunAsync(sslscan, "--no-colour", "--xml=-", $"127.0.0.1:{server.Address.Port.ToString(CultureInfo.InvariantCulture)}"));

        var protocols = report.Descendants("protocol").ToDictionary(p => $"{p.Attribute("type")!.Value}{p.Attribute("version")!.Value}", p => p.Attribute("enabled")!.Value == "1");
        Assert.Equal(new Dictionary<string, bool>
        {
            ["ssl2"] = false,
            ["ssl3"] = false,
            ["tls1.0"] = false,
            ["tls1.1"] = false,
            ["tls1.2"] = true,
            ["tls1.3"] = true,
        }, protocols);
        var ciphers = report.Descendants("cipher").Select(c => (Name: c.Attribute("cipher")!.Value, Strength: c.Attribute("strength")!.Value)).ToList();
        Assert.NotEmpty(ciphers);
        Assert.All(ciphers, c =>
        {
            Assert.Contains(c.Strength, (string[])["strong", "acceptable"]);
            Assert.True(c.Name.Contains("GCM", StringComparison.Ordinal) || c.Name.Contains("CHACHA20", StringComparison.Ordinal), $"{c.Name} is not an AEAD suite");
        });
        Assert.DoesNotContain(report.Descendants("renegotiation"), r => r.Attribute("supported")?.Value == "1");
    }

    /// <summary>Debian's sslscan; missing, the case is skipped saying what to install, or fails under HOSTKIT_REQUIRE_ALL=1.</summary>
    private static string RequireSslScan()
    {
        const string SslScan = "/usr/bin/sslscan";
        if (File.Exists(SslScan))
            return SslScan;
        const string Reason = SslScan + " is missing: install it with 'apt-get install -y sslscan'.";
        if (Environment.GetEnvironmentVariable("HOSTKIT_REQUIRE_ALL") == "1")
            Assert.Fail(Reason + " HOSTKIT_REQUIRE_ALL=1 makes this a failure.");
        Assert.Skip(Reason);
        return SslScan;
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(50));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
        Assert.True(process.ExitCode == 0, $"sslscan exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
