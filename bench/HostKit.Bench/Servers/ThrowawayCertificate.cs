using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostKit.Bench.Servers;

/// <summary>
/// The certificate the TLS variants serve: self-signed for 127.0.0.1 and localhost, RSA 2048 (what most served
/// certificates are, and what the TLS tests use), made by the runner on first use and written as PEM, as an operator's
/// <c>--certfile</c>/<c>--keyfile</c> are. wrk does not check certificates, so no authority is needed; nothing is committed.
/// </summary>
internal static class ThrowawayCertificate
{
    /// <summary>Makes the certificate and its key in <paramref name="folder"/>; returns both paths.</summary>
    public static (string CertFile, string KeyFile) WritePem(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        var certFile = Path.Combine(folder, "bench-server.crt");
        var keyFile = Path.Combine(folder, "bench-server.key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certFile, keyFile);
    }
}
