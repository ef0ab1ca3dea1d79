using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// Each kind of unsafe Production setting, through a real start-up: the server refuses to start and names the
/// setting. The many bounds of each kind are checked on the rule classes in <see cref="ProductionRuleTests"/>.
/// </summary>
public sealed class UnsafeProductionSettingsTests
{
    private const string Neon = "Host=ep-x.eu-central-1.aws.neon.tech;Database=ruum;Username=ruum;Password=p";

    public static TheoryData<Dictionary<string, string?>, string> UnsafeSettings => new()
    {
        { Set("ConnectionStrings:Default", Neon + ";SSL Mode=Require"), "ConnectionStrings:Default reaches ep-x.eu-central-1.aws.neon.tech with SSL Mode=Require, which does not verify" },
        { Set("ConnectionStrings:Default", Neon + ";SSL Mode=VerifyCA"), "Ruum:Database:VerifyCaReason" },
        { Set("ConnectionStrings:Migrations", "Host=postgres;Database=ruum;Username=ruum;Password=p"), "Ruum:Database:ContainerNetworkReason" },
        { Set("Ruum:Tokens:AccessTokenLifetime", "02:00:00"), "Ruum:Tokens:AccessTokenLifetime is 02:00:00, over the 01:00:00" },
        { Set("Ruum:Tokens:RefreshTokenLifetime", "91.00:00:00"), "Ruum:Tokens:RefreshTokenLifetime" },
        { Set("Ruum:Session:AbsoluteTimeout", "8.00:00:00"), "Ruum:Session:AbsoluteTimeout" },
        { Set("Ruum:TrustedDevices:Lifetime", "91.00:00:00"), "Ruum:TrustedDevices:Lifetime" },
        { Set("Ruum:Lockout:LockoutDuration", "00:00:30"), "Ruum:Lockout:LockoutDuration is 00:00:30, under the 00:01:00" },
        { Set("Ruum:Otp:FailureLockout", "00:00:00"), "Ruum:Otp:FailureLockout" },
        { Set("Ruum:Signing:Keys:0:Pem", Pem(RSA.Create(1024))), "Ruum:Signing:Keys:0 is an RSA key of 1024 bits" },
        { Set("Ruum:Signing:Keys:0:Pem", Pem(ECDsa.Create(ECCurve.NamedCurves.nistP384))), "Ruum:Signing:Keys:0 is an EC key on P-384 but signs ES256, which needs P-256" },
        { Pfx(RsaCertificate(), "ES256"), "Ruum:Signing:Keys:0:PfxFile holds an RSA key but signs ES256" },
        { Pfx(EcCertificate(), null), "Ruum:Signing:Keys:0:PfxFile holds an EC key but signs RS256" },
        { Set("Ruum:Signing:Keys:0:Algorithm", "HS256"), "Ruum:Signing:Keys:0:Algorithm is 'HS256'" },
        { SameSecret("Ruum:Passwords:Pepper", "Ruum:Otp:HashingKey"), "Ruum:Passwords:Pepper and Ruum:Otp:HashingKey hold the same secret" },
        { SameSecret("Ruum:Clients:SecretHashKey", "Ruum:Signing:EncryptionKey"), "Ruum:Clients:SecretHashKey and Ruum:Signing:EncryptionKey hold the same secret" },
        { Set("AllowedHosts", "*"), "AllowedHosts is '*' while Ruum:Tokens:Issuer is set: set AllowedHosts=id.ruum.test" },
        { Set("AllowedHosts", "other.ruum.test"), "AllowedHosts ('other.ruum.test') does not include id.ruum.test" },
    };

    [Theory]
    [MemberData(nameof(UnsafeSettings))]
    public async Task Start_InProductionWithUnsafeSetting_FailsNamingIt(Dictionary<string, string?> settings, string expected)
    {
        var exception = await Record.ExceptionAsync(() => ProductionServer.StartAsync(settings));

        Assert.NotNull(exception);
        var messages = ProductionServer.AllMessages(exception);
        Assert.Contains(expected, messages, StringComparison.Ordinal);
        Assert.All(settings.Values.Where(value => value is { Length: >= 32 }), secret => Assert.DoesNotContain(secret!, messages, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InProductionWithP384KeyLabelledES384_PublishesIt()
    {
        await using var server = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Signing:Keys:0:Pem"] = Pem(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
            ["Ruum:Signing:Keys:0:Algorithm"] = "ES384",
        });

        var jwks = await (await server.CreateProxiedClient().GetAsync(".well-known/jwks")).JsonAsync();

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("P-384", key.GetProperty("crv").GetString());
        Assert.Equal("ES384", key.GetProperty("alg").GetString());
    }

    private static Dictionary<string, string?> Set(string setting, string value) => new() { [setting] = value };

    private static Dictionary<string, string?> SameSecret(string first, string second)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return new() { [first] = secret, [second] = secret };
    }

    private static string Pem(AsymmetricAlgorithm key)
    {
        using (key)
        {
            return key.ExportPkcs8PrivateKeyPem();
        }
    }

    private static Dictionary<string, string?> Pfx(X509Certificate2 certificate, string? algorithm)
    {
        var path = Path.Combine(Path.GetTempPath(), "ruum-signing-" + Guid.NewGuid().ToString("N") + ".pfx");
        using (certificate)
        {
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        }
        return new() { ["Ruum:Signing:Keys:0:Pem"] = null, ["Ruum:Signing:Keys:0:PfxFile"] = path, ["Ruum:Signing:Keys:0:Algorithm"] = algorithm };
    }

    private static X509Certificate2 RsaCertificate()
    {
        using var rsa = RSA.Create(2048);
        return new CertificateRequest("CN=Ruum signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 EcCertificate()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=Ruum signing", ec, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
