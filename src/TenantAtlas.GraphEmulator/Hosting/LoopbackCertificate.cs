using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TenantAtlas.GraphEmulator.Hosting;

/// <summary>
/// A self-signed TLS certificate for 127.0.0.1 / ::1 / localhost, made in memory. Nothing is installed in a
/// trust store: clients pin it (see <see cref="GraphEmulatorHost.CreateHttpHandler"/>).
/// </summary>
internal static class LoopbackCertificate
{
    public static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=TenantAtlas Graph Emulator", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        // Re-import from PFX so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Loads the PFX at <paramref name="path"/>, or creates one and saves it there (stable across restarts).</summary>
    public static X509Certificate2 LoadOrCreate(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return Create();
        }

        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        }

        var certificate = Create();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return certificate;
    }

    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public static bool Matches(X509Certificate2 expected, X509Certificate? presented) =>
        presented is not null
        && presented.GetCertHashString(HashAlgorithmName.SHA256).Equals(Thumbprint(expected), StringComparison.OrdinalIgnoreCase);
}

/// <summary>The certificate the https endpoint serves, if any.</summary>
internal sealed record EmulatorCertificate(X509Certificate2? Certificate);
