using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Tokens;

/// <summary>Turns <see cref="SigningOptions"/> into keys. Production never gets a generated encryption key.</summary>
internal sealed class SigningKeys(IOptions<SigningOptions> options, IHostEnvironment environment)
{
    /// <summary>Each key with the algorithm it signs: the configured one, else RS256 for RSA and ES256 for EC.</summary>
    public IReadOnlyList<SigningCredentials> LoadSigningCredentials() =>
        [.. LoadSigningKeys().Select((key, index) => new SigningCredentials(key, AlgorithmOf(index, key)))];

    private string AlgorithmOf(int index, SecurityKey key)
    {
        var configured = index < options.Value.Keys.Count ? options.Value.Keys[index].Algorithm : null;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256;
        }
        return SigningKeyChecks.CurveFor(configured) is not null || configured == SecurityAlgorithms.RsaSha256
            ? configured
            : throw new InvalidOperationException(
                $"{SigningOptions.Section}:Keys:{index}:Algorithm is '{configured}': use RS256, ES256, ES384 or ES512.");
    }

    /// <summary>The configured keys; none means the database's key set signs (<see cref="SigningKeyRing"/>).</summary>
    private List<SecurityKey> LoadSigningKeys() => options.Value.Keys.Select(LoadKey).ToList();

    public SymmetricSecurityKey LoadEncryptionKey()
    {
        var configured = options.Value.EncryptionKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Ruum:Signing:EncryptionKey is missing: set it to base64 of 32 random bytes (Ruum__Signing__EncryptionKey).");
            }
            configured = ReadOrCreate("encryption.key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return Decode(configured, "Ruum:Signing:EncryptionKey", options.Value.EncryptionKeyId);
    }

    /// <summary>
    /// The current encryption key first, then the earlier ones (<see cref="SigningOptions.PreviousEncryptionKeys"/>),
    /// each with its id as <c>kid</c>: the first encrypts, every one decrypts.
    /// </summary>
    public IReadOnlyList<SymmetricSecurityKey> LoadEncryptionKeys()
    {
        var current = LoadEncryptionKey();
        var keys = new List<SymmetricSecurityKey> { current };
        foreach (var (id, value) in options.Value.PreviousEncryptionKeys)
        {
            var setting = $"Ruum:Signing:PreviousEncryptionKeys:{id}";
            if (!Infrastructure.Secrets.VersionedKeys.IsValidId(id) || keys.Any(key => key.KeyId == id))
            {
                throw new InvalidOperationException(
                    $"{setting}: give each encryption key its own id of 1 to {Infrastructure.Secrets.VersionedKeys.MaxIdLength} letters, digits, '-' or '_'.");
            }
            keys.Add(Decode(value, setting, id));
        }
        return keys;
    }

    private static SymmetricSecurityKey Decode(string configured, string setting, string id)
    {
        var bytes = Convert.FromBase64String(configured.Trim());
        if (bytes.Length != 32)
        {
            throw new InvalidOperationException($"{setting} must be base64 of exactly 32 bytes.");
        }
        return new SymmetricSecurityKey(bytes) { KeyId = id };
    }

    /// <summary>
    /// The HMAC key that signs codes and refresh tokens (<see cref="SignServerOnlyTokensWithHmac"/>), derived from the
    /// encryption key (HKDF-SHA256) so there is no second secret to configure, and never the encryption key itself.
    /// Each encryption key has its own (an earlier key's still checks the tokens it signed).
    /// </summary>
    public static SymmetricSecurityKey DeriveServerOnlySigningKey(SymmetricSecurityKey encryptionKey)
    {
        ArgumentNullException.ThrowIfNull(encryptionKey);
        var bytes = HKDF.DeriveKey(HashAlgorithmName.SHA256, encryptionKey.Key, 32, salt: [], info: "ruum server-only token signing"u8.ToArray());
        var key = new SymmetricSecurityKey(bytes);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    private static SecurityKey LoadKey(SigningKeyOptions key)
    {
        if (!string.IsNullOrWhiteSpace(key.PfxFile))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(key.PfxFile, key.PfxPassword);
            return new X509SecurityKey(certificate) { KeyId = certificate.Thumbprint };
        }
        var pem = !string.IsNullOrWhiteSpace(key.Pem) ? key.Pem
            : !string.IsNullOrWhiteSpace(key.PemFile) ? File.ReadAllText(key.PemFile)
            : throw new InvalidOperationException("A Ruum:Signing:Keys entry needs Pem, PemFile or PfxFile.");
        return FromPem(pem);
    }

    internal static AsymmetricSecurityKey FromPem(string pem)
    {
        AsymmetricSecurityKey key = TryImportEc(pem) is { } ec
            ? new ECDsaSecurityKey(ec)
            : new RsaSecurityKey(Import(RSA.Create(), pem));
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    private static T Import<T>(T algorithm, string pem) where T : AsymmetricAlgorithm
    {
        algorithm.ImportFromPem(pem);
        return algorithm;
    }

    // A PEM says its algorithm only inside the key ("PRIVATE KEY" is PKCS#8 for either): try EC, else RSA.
    private static ECDsa? TryImportEc(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            return null;
        }
    }

    // Written once, atomically, so two processes starting together agree on the key.
    private string ReadOrCreate(string fileName, Func<string> create)
    {
        var folder = Path.GetFullPath(options.Value.DevelopmentKeyFolder, environment.ContentRootPath);
        var path = Path.Combine(folder, fileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, create());
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temporary);
            }
        }
        return File.ReadAllText(path);
    }
}
