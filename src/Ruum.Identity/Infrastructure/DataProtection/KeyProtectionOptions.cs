using System.Security.Cryptography.X509Certificates;

namespace Ruum.Identity.Infrastructure.DataProtection;

/// <summary>
/// <c>Ruum:DataProtection</c>: certificates that encrypt the Data Protection key ring at rest in the database,
/// so a database dump alone cannot forge session cookies or decrypt protected secrets.
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "Ruum:DataProtection";

    /// <summary>The first encrypts new keys; every one can decrypt, so a retired certificate stays listed until its keys expire.</summary>
    public List<KeyProtectionCertificate> Certificates { get; } = [];
}

/// <summary>An RSA certificate with its private key: inline PEM (certificate and key blocks), or a .pem/.pfx file.</summary>
public sealed class KeyProtectionCertificate
{
    public string? Pem { get; set; }
    public string? File { get; set; }

    /// <summary>For a .pfx file or an encrypted PEM private key.</summary>
    public string? Password { get; set; }

    internal X509Certificate2 Load()
    {
        if (!string.IsNullOrWhiteSpace(Pem))
        {
            return string.IsNullOrEmpty(Password)
                ? X509Certificate2.CreateFromPem(Pem, Pem)
                : X509Certificate2.CreateFromEncryptedPem(Pem, Pem, Password);
        }
        if (string.IsNullOrWhiteSpace(File))
        {
            throw new InvalidOperationException("needs Pem or File");
        }
        if (File.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || File.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(File, Password);
        }
        return string.IsNullOrEmpty(Password)
            ? X509Certificate2.CreateFromPemFile(File)
            : X509Certificate2.CreateFromEncryptedPemFile(File, Password);
    }
}
