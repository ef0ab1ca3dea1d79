using System.Net;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Tests.Infrastructure;

namespace Ruum.Identity.Tests.Hosting;

public sealed class ProductionStartupTests
{
    public static TheoryData<string, string?, string> MissingOrDevelopmentSettings => new()
    {
        { "ConnectionStrings:Default", null, "ConnectionStrings:Default" },
        { "ConnectionStrings:Default", "Host=ep-x.eu-central-1.aws.neon.tech;Database=ruum;Username=ruum;Password=p", "ConnectionStrings:Default reaches ep-x.eu-central-1.aws.neon.tech with SSL Mode=Prefer" },
        { "ConnectionStrings:Migrations", "Host=ep-x.eu-central-1.aws.neon.tech;Database=ruum;SSL Mode=Prefer", "ConnectionStrings:Migrations reaches" },
        { "Ruum:Signing:Keys:0:Pem", "not a key", "Ruum:Signing:Keys" },
        { "Ruum:Signing:EncryptionKey", null, "Ruum:Signing:EncryptionKey" },
        { "Ruum:Signing:EncryptionKey", Convert.ToBase64String(new byte[16]), "Ruum:Signing:EncryptionKey" },
        { "Ruum:DataProtection:Certificates:0:Pem", null, "Ruum:DataProtection:Certificates" },
        { "Ruum:DataProtection:Certificates:0:Pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "Ruum:DataProtection:Certificates:0" },
        { "Ruum:Passwords:Pepper", null, "Ruum:Passwords:Pepper" },
        { "Ruum:Passwords:Pepper", PasswordOptions.DevelopmentPepper, "Ruum:Passwords:Pepper" },
        { "Ruum:Tokens:Issuer", null, "Ruum:Tokens:Issuer" },
        { "Ruum:Tokens:Issuer", "http://id.ruum.test/", "Ruum:Tokens:Issuer must be an absolute https URL" },
        { "Ruum:Session:SecureCookies", "false", "Ruum:Session:SecureCookies" },
        { "Ruum:Proxy:KnownNetworks:0", "10.0.0.0/99", "Ruum:Proxy:KnownNetworks" },
        { "Ruum:Otp:HashingKey", null, "Ruum:Otp:HashingKey" },
        { "Ruum:Otp:HashingKey", OtpOptions.DevelopmentHashingKey, "Ruum:Otp:HashingKey" },
        { "Ruum:Clients:SecretHashKey", null, "Ruum:Clients:SecretHashKey" },
        // An earlier key (see "Adding a key" in deploy/README.md) is a real secret under an id of its own.
        { "Ruum:Passwords:PreviousPeppers:0", PasswordOptions.DevelopmentPepper, "Ruum:Passwords:PreviousPeppers:0 must be a real secret" },
        { "Ruum:Otp:PreviousHashingKeys:1", "an-earlier-hashing-key-long-enough-0123456789", "Ruum:Otp:PreviousHashingKeys:1 has the current key's id" },
        { "Ruum:Clients:PreviousSecretHashKeys:0", "too-short", "Ruum:Clients:PreviousSecretHashKeys:0 must be a real secret" },
        { "Ruum:Signing:PreviousEncryptionKeys:0", Convert.ToBase64String(new byte[16]), "Ruum:Signing:PreviousEncryptionKeys:0 must be base64 of exactly 32 bytes" },
        { "Ruum:Signing:PreviousEncryptionKeys:1", Convert.ToBase64String(new byte[32]), "Ruum:Signing:PreviousEncryptionKeys:1: give each encryption key its own id" },
        { "Ruum:Passwords:PepperId", "not an id", "PepperId" },
        { "Ruum:Email:SmtpHost", null, "Ruum:Email:SmtpHost" },
        { "Ruum:Email:Delivery", "PickupFolder", "Ruum:Email:Delivery" },
        { "Ruum:Email:SmtpTls", "None", "Ruum:Email:SmtpTls" },
    };

    [Theory]
    [MemberData(nameof(MissingOrDevelopmentSettings))]
    public async Task Start_InProductionWithSettingMissingOrDevelopmentValue_FailsNamingIt(string setting, string? value, string expected)
    {
        var exception = await Record.ExceptionAsync(() => ProductionServer.StartAsync(new Dictionary<string, string?> { [setting] = value }));

        Assert.NotNull(exception);
        Assert.Contains(expected, ProductionServer.AllMessages(exception), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InProductionOnSqlite_FailsNamingTheProvider()
    {
        var exception = await Record.ExceptionAsync(() => ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ruum:Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), "ruum-production-" + Guid.NewGuid().ToString("N") + ".db")}",
        }));

        Assert.NotNull(exception);
        Assert.Contains("Ruum:Database:Provider is Sqlite", ProductionServer.AllMessages(exception), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InProductionWithEverySecret_ServesHttpsDiscovery()
    {
        await using var server = await ProductionServer.StartAsync();

        var discovery = await (await server.CreateProxiedClient().GetAsync(".well-known/openid-configuration")).JsonAsync();

        Assert.Equal(ProductionServer.Issuer, discovery.GetProperty("issuer").GetString());
        var urls = discovery.EnumerateObject().Where(p => p.Name.EndsWith("_endpoint", StringComparison.Ordinal) || p.Name == "jwks_uri").ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, url => Assert.StartsWith(ProductionServer.Issuer, url.Value.GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataProtectionKeys_InProduction_AreStoredEncryptedWithTheCertificate()
    {
        await using var server = await ProductionServer.StartAsync();

        var login = await server.CreateProxiedClient().GetAsync("account/login");
        var keys = await server.WithDatabaseAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var key = Assert.Single(keys);
        Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataProtectionKeys_EncryptedByOneInstance_AreDecryptedByAnother()
    {
        await using var first = await ProductionServer.StartAsync();
        await first.CreateProxiedClient().GetAsync("account/login");
        await using var second = await ProductionServer.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = first.ConnectionString,
        });

        var login = await second.CreateProxiedClient().GetAsync("account/login");
        var keys = await second.WithDatabaseAsync(db => db.DataProtectionKeys.CountAsync());

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(1, keys);
    }
}
