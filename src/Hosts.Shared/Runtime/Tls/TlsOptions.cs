using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// What a host serves its <c>https://</c> addresses with: the certificate and its private key, the intermediate
/// certificates sent with it, and the one TLS policy every host that terminates TLS itself applies
/// (<see cref="CreateAuthenticationOptions()"/>): TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites only,
/// ALPN <c>http/1.1</c> (<c>h2</c> before it for a host that serves HTTP/2), no client certificate, no renegotiation.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>
    /// TLS 1.3's three suites, then TLS 1.2's ECDHE suites with AES-GCM or ChaCha20-Poly1305 (Mozilla's "intermediate"
    /// list without its finite-field DHE): no CBC, no RSA key exchange, no SHA-1 MACs. Every browser and client of the
    /// last decade offers one of these.
    /// </summary>
    private static readonly TlsCipherSuite[] CipherSuites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>The cipher suites as OpenSSL takes them; null where the operating system's policy applies (Windows).</summary>
    private static readonly CipherSuitesPolicy? Policy = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? new CipherSuitesPolicy(CipherSuites) : null;

    private readonly SslStreamCertificateContext _context;

    /// <summary>Serves <paramref name="certificate"/>, sending <paramref name="chain"/> (its intermediates, leaf first) with it.</summary>
    /// <param name="certificate">The server's certificate, with its private key.</param>
    /// <param name="chain">The intermediate certificates a client needs to reach a root it trusts; none when the certificate is signed by the root itself.</param>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public TlsOptions(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"The certificate {certificate.Subject} has no private key: a server needs it to prove the certificate is its own.", nameof(certificate));
        Certificate = certificate;
        Chain = chain ?? [];
        // Built once: it holds the chain the handshake sends, which is the costly part to assemble.
        _context = SslStreamCertificateContext.Create(certificate, Chain, offline: true);
    }

    /// <summary>The protocol versions served: TLS 1.2 and 1.3. SSL 3, TLS 1.0 and 1.1 are refused.</summary>
    public static SslProtocols Protocols => SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The server's certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediate certificates sent with it.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>
    /// The handshake settings for one connection (a new object each time, since <see cref="SslStream"/> may keep it):
    /// the policy in this type's summary, with the certificate and chain.
    /// </summary>
    public SslServerAuthenticationOptions CreateAuthenticationOptions()
    {
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _context,
            EnabledSslProtocols = Protocols,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
            CipherSuitesPolicy = Policy,
        };
    }

    /// <summary>
    /// <see cref="CreateAuthenticationOptions()"/> for a listener that serves HTTP/2 too when <paramref name="http2"/>: ALPN then
    /// offers <c>h2</c> before <c>http/1.1</c> (RFC 9113 section 3.2; the policy's TLS 1.2+ and AEAD suites are what HTTP/2
    /// requires, section 9.2).
    /// </summary>
    /// <param name="http2">The listener serves HTTP/2 as well as HTTP/1.1.</param>
    public SslServerAuthenticationOptions CreateAuthenticationOptions(bool http2)
    {
        var options = CreateAuthenticationOptions();
        if (http2)
            options.ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
        return options;
    }
}
