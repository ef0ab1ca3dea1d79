using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Infrastructure.DataProtection;

public static class KeyProtectionSetup
{
    /// <summary>Keys persist in the database (see DatabaseSetup); this encrypts them there with a certificate.</summary>
    public static WebApplicationBuilder AddRuumKeyProtection(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(KeyProtectionOptions.Section);
        builder.Services.AddOptions<KeyProtectionOptions>().Bind(section);
        var certificates = (section.Get<KeyProtectionOptions>() ?? new KeyProtectionOptions()).Certificates
            .Select((certificate, index) => Load(certificate, index))
            .ToArray();
        if (certificates.Length > 0)
        {
            builder.Services.AddDataProtection()
                .ProtectKeysWithCertificate(certificates[0])
                .UnprotectKeysWithAnyCertificate(certificates);
        }
        return builder;
    }

    private static X509Certificate2 Load(KeyProtectionCertificate certificate, int index)
    {
        try
        {
            var loaded = certificate.Load();
            return loaded.HasPrivateKey && loaded.GetRSAPrivateKey() is not null
                ? loaded
                : throw new InvalidOperationException("needs an RSA certificate with its private key");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or ArgumentException or InvalidOperationException)
        {
            // The crypto message says what is wrong with the input; it never contains the input itself.
            throw new InvalidOperationException(
                $"{KeyProtectionOptions.Section}:Certificates:{index} could not be loaded: {exception.Message}", exception);
        }
    }
}

/// <summary>Without a certificate the key ring that signs every cookie would sit in the database in clear.</summary>
internal sealed class KeyProtectionProductionRules(IHostEnvironment environment) : ProductionRules<KeyProtectionOptions>(environment)
{
    protected override IEnumerable<string> Check(KeyProtectionOptions options)
    {
        if (options.Certificates.Count == 0)
        {
            yield return $"{KeyProtectionOptions.Section}:Certificates is empty: Data Protection keys would be stored unencrypted. "
                + "Set Ruum__DataProtection__Certificates__0__Pem (an RSA certificate and its private key, PEM) or __File.";
        }
    }
}
