using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostKit.Hosts;

namespace HostKit.Hosting;

/// <summary>
/// The server certificate the runner serves <c>https://</c> with, read as gunicorn and uvicorn take it: <c>--certfile</c>
/// and <c>--keyfile</c> in PEM (the key may also sit in the certificate file), or a PKCS#12 file (<c>.pfx</c>, <c>.p12</c>)
/// as <c>--certfile</c> alone; <c>--keyfile-password</c> opens an encrypted key or a PKCS#12 file. Every problem is one
/// message with the option, the file, the reason and what to write.
/// </summary>
internal static class TlsCertificateFiles
{
    public const string CertFile = "--certfile (HostKit:CertFile)";
    public const string KeyFile = "--keyfile (HostKit:KeyFile)";
    public const string Password = "--keyfile-password (HostKit:KeyFilePassword)";

    private const string WhatToWrite = "write the path of the server's certificate: a PEM file (its key in --keyfile, or in the same file) or a PKCS#12 file (.pfx, .p12).";
    private const string WhatKeyToWrite = "write the path of the certificate's private key (PEM).";

    /// <summary>The certificate and its chain from the files; null when no certificate file is set.</summary>
    /// <exception cref="HostStartException">A file is missing, unreadable, malformed, locked with another password, or the key is not the certificate's.</exception>
    public static TlsOptions? Load(string? certFile, string? keyFile, string? password)
    {
        if (string.IsNullOrWhiteSpace(certFile))
        {
            return string.IsNullOrWhiteSpace(keyFile) ? null
                : throw new HostStartException($"{KeyFile} = '{keyFile}' is set without a certificate: give the certificate with --certfile FILE as well.");
        }
        var text = ReadText(CertFile, certFile, WhatToWrite);
        return text.Contains("-----BEGIN", StringComparison.Ordinal)
            ? LoadPem(certFile, text, string.IsNullOrWhiteSpace(keyFile) ? null : keyFile, password)
            : LoadPkcs12(certFile, keyFile, password);
    }

    private static TlsOptions LoadPem(string certFile, string text, string? keyFile, string? password)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(text);
        }
        catch (CryptographicException ex)
        {
            throw new HostStartException($"{CertFile} = '{certFile}' has a PEM block that is not a certificate ({ex.Message}): {WhatToWrite}", ex);
        }
        if (chain.Count == 0)
            throw new HostStartException($"{CertFile} = '{certFile}' holds no '-----BEGIN CERTIFICATE-----' block: {WhatToWrite}");
        var certificate = chain[0];
        chain.RemoveAt(0); // the rest are its intermediates, sent with it
        var key = keyFile is null ? $"the key in {CertFile} = '{certFile}'" : $"{KeyFile} = '{keyFile}'";
        var keyText = keyFile is null ? text : ReadText(KeyFile, keyFile, WhatKeyToWrite);
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw keyFile is null
                ? new HostStartException($"{CertFile} = '{certFile}' holds no private key: give its key with --keyfile FILE (PEM).")
                : new HostStartException($"{KeyFile} = '{keyFile}' holds no PEM private key (no '-----BEGIN ... PRIVATE KEY-----' line): write the path of the key the certificate was made with.");
        }
        using AsymmetricAlgorithm privateKey = certificate.GetRSAPublicKey() is not null ? RSA.Create()
            : certificate.GetECDsaPublicKey() is not null ? ECDsa.Create()
            : throw new HostStartException($"{CertFile} = '{certFile}' has a {certificate.PublicKey.Oid.FriendlyName} key; HostKit serves RSA and ECDSA certificates.");
        var encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (encrypted && string.IsNullOrEmpty(password))
            throw new HostStartException($"{key} is encrypted: give its password with {Password} (or the HOSTKIT_KEYFILEPASSWORD variable).");
        try
        {
            if (encrypted)
                privateKey.ImportFromEncryptedPem(keyText, password);
            else
                privateKey.ImportFromPem(keyText);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new HostStartException(encrypted
                ? $"{key} cannot be opened with the password given ({Password}): {ex.Message}"
                : $"{key} cannot be read as a {(privateKey is RSA ? "RSA" : "ECDSA")} private key, which the certificate needs: {ex.Message}", ex);
        }
        if (!privateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
            throw new HostStartException($"{key} is not the key of the certificate in {CertFile} = '{certFile}' ({certificate.Subject}): give the key that certificate was made with.");
        var withKey = privateKey is RSA rsa ? certificate.CopyWithPrivateKey(rsa) : certificate.CopyWithPrivateKey((ECDsa)privateKey);
        return Options(withKey, chain, certFile);
    }

    private static TlsOptions LoadPkcs12(string certFile, string? keyFile, string? password)
    {
        if (!string.IsNullOrWhiteSpace(keyFile))
            throw new HostStartException($"{CertFile} = '{certFile}' is not PEM, so it is read as PKCS#12, which carries its own key: leave out {KeyFile}, or give a PEM certificate.");
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(certFile, password);
        }
        catch (CryptographicException ex)
        {
            var isPkcs12 = X509Certificate2.GetCertContentType(certFile) == X509ContentType.Pkcs12;
            throw new HostStartException(isPkcs12
                ? $"{CertFile} = '{certFile}' is a PKCS#12 file that cannot be opened {(string.IsNullOrEmpty(password) ? "without a password" : "with the password given")}: give its password with {Password} (or the HOSTKIT_KEYFILEPASSWORD variable). ({ex.Message})"
                : $"{CertFile} = '{certFile}' is neither PEM nor PKCS#12: {WhatToWrite}", ex);
        }
        var certificate = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new HostStartException($"{CertFile} = '{certFile}' is a PKCS#12 file without a private key: export the certificate with its key.");
        all.Remove(certificate);
        return Options(certificate, all, certFile);
    }

    private static TlsOptions Options(X509Certificate2 certificate, X509Certificate2Collection chain, string certFile)
    {
        try
        {
            return new TlsOptions(certificate, chain);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new HostStartException($"{CertFile} = '{certFile}' cannot be served: {ex.Message}", ex);
        }
    }

    private static string ReadText(string option, string path, string whatToWrite)
    {
        try
        {
            // Latin-1: any bytes read as text, so a binary PKCS#12 file reads too, and is told from PEM by its lack of a BEGIN line.
            return File.ReadAllText(path, System.Text.Encoding.Latin1);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HostStartException($"{option} = '{path}': no such file ({Path.GetFullPath(path)}); {whatToWrite}", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new HostStartException($"{option} = '{path}' cannot be read: {ex.Message} Give the server's user read access to it.", ex);
        }
    }
}
