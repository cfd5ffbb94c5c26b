using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostKit.Hosts;

namespace HostKit.Conformance.Support;

/// <summary>
/// A certificate authority made in memory for one test run, and a server certificate it signed for 127.0.0.1 and
/// localhost: no certificate is committed, none is installed in a trust store, and clients trust it only through
/// <see cref="Validate"/>. The server key is RSA 2048, as most served certificates are; the CA's is ECDSA P-256.
/// </summary>
public static class ThrowawayCertificateAuthority
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Server)> Made = new(Make);

    /// <summary>The CA's certificate (public part only, as a client holds it).</summary>
    public static X509Certificate2 Ca => Made.Value.Ca;

    /// <summary>The server certificate, with its private key.</summary>
    public static X509Certificate2 Server => Made.Value.Server;

    /// <summary>What a server under test serves https with.</summary>
    public static TlsOptions ServerTls => new(Server);

    /// <summary>
    /// A client's certificate check that trusts this CA alone: the chain must end at it and name the host asked for.
    /// For <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> and its relatives.
    /// </summary>
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.Add(Ca);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return own.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    /// <summary>Writes the server certificate and key as PEM files in <paramref name="directory"/>, as an operator has them.</summary>
    public static (string CertFile, string KeyFile) WritePem(string directory)
    {
        var certFile = Path.Combine(directory, "server.crt");
        var keyFile = Path.Combine(directory, "server.key");
        File.WriteAllText(certFile, Server.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        return (certFile, keyFile);
    }

    /// <summary>Writes the server certificate and key as one PKCS#12 file locked with <paramref name="password"/>.</summary>
    public static string WritePkcs12(string directory, string password)
    {
        var file = Path.Combine(directory, "server.pfx");
        File.WriteAllBytes(file, Server.Export(X509ContentType.Pkcs12, password));
        return file;
    }

    /// <summary>A client options for <paramref name="host"/> that trusts the CA and offers <paramref name="alpn"/>.</summary>
    public static SslClientAuthenticationOptions ClientOptions(string host = "localhost", params SslApplicationProtocol[] alpn) => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = Validate,
        ApplicationProtocols = alpn.Length > 0 ? [.. alpn] : null,
    };

    private static (X509Certificate2, X509Certificate2) Make()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=HostKit throwaway test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        var serverKey = RSA.Create(2048); // kept: the server certificate holds it
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        // An RSA certificate signed with the CA's ECDSA key: the generator overload, since the key types differ.
        using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        var server = signed.CopyWithPrivateKey(serverKey);
        return (X509CertificateLoader.LoadCertificate(ca.RawData), server);
    }
}
