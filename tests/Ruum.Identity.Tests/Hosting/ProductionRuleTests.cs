using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Features.Lockout;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Tests.Hosting;

/// <summary>
/// The bounds of each Production rule, on the rule classes themselves (a real start-up per kind of rule is in
/// <see cref="UnsafeProductionSettingsTests"/>). Each unsafe value fails naming its setting; the safe edge passes.
/// </summary>
public sealed class ProductionRuleTests
{
    private static readonly HostingEnvironment Production = new() { EnvironmentName = Environments.Production };

    public static TheoryData<string, string, string?> TokenLifetimes => new()
    {
        { nameof(TokenOptions.AccessTokenLifetime), "01:00:00", null },
        { nameof(TokenOptions.AccessTokenLifetime), "01:00:01", "Ruum:Tokens:AccessTokenLifetime" },
        { nameof(TokenOptions.AccessTokenLifetime), "00:00:00", "Ruum:Tokens:AccessTokenLifetime is 00:00:00: a lifetime must be positive" },
        { nameof(TokenOptions.IdentityTokenLifetime), "01:00:01", "Ruum:Tokens:IdentityTokenLifetime" },
        { nameof(TokenOptions.IdentityTokenLifetime), "-00:01:00", "Ruum:Tokens:IdentityTokenLifetime" },
        { nameof(TokenOptions.RefreshTokenLifetime), "90.00:00:00", null },
        { nameof(TokenOptions.RefreshTokenLifetime), "90.00:00:01", "Ruum:Tokens:RefreshTokenLifetime" },
        { nameof(TokenOptions.AuthorizationCodeLifetime), "00:10:00", null },
        { nameof(TokenOptions.AuthorizationCodeLifetime), "00:10:01", "Ruum:Tokens:AuthorizationCodeLifetime" },
        { nameof(TokenOptions.AuthorizationCodeLifetime), "00:00:00", "Ruum:Tokens:AuthorizationCodeLifetime" },
    };

    [Theory]
    [MemberData(nameof(TokenLifetimes))]
    public void TokenLifetime_InProduction_IsBounded(string property, string value, string? expected)
    {
        var options = new TokenOptions();
        typeof(TokenOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        AssertOutcome(new TokenLifetimeProductionRules(Production).Validate(null, options), expected);
    }

    public static TheoryData<string, string, string?> SessionLifetimes => new()
    {
        { "07:00:00", "7.00:00:00", null },
        { "01:00:00", "7.00:00:01", "Ruum:Session:AbsoluteTimeout" },
        { "01:00:00", "00:00:00", "Ruum:Session:AbsoluteTimeout" },
        { "00:00:00", "1.00:00:00", "Ruum:Session:IdleTimeout is 00:00:00" },
        { "2.00:00:00", "1.00:00:00", "Ruum:Session:IdleTimeout (2.00:00:00) is longer than Ruum:Session:AbsoluteTimeout" },
    };

    [Theory]
    [MemberData(nameof(SessionLifetimes))]
    public void SessionLifetime_InProduction_IsBounded(string idle, string absolute, string? expected)
    {
        var options = new SessionOptions
        {
            IdleTimeout = TimeSpan.Parse(idle, System.Globalization.CultureInfo.InvariantCulture),
            AbsoluteTimeout = TimeSpan.Parse(absolute, System.Globalization.CultureInfo.InvariantCulture),
        };

        AssertOutcome(new SessionProductionRules(Production).Validate(null, options), expected);
    }

    [Theory]
    [InlineData("00:15:00", null)]
    [InlineData("00:15:01", "Ruum:Session:ReauthenticationWindow is 00:15:01, over the 00:15:00")]
    [InlineData("00:00:00", "Ruum:Session:ReauthenticationWindow is 00:00:00: a lifetime must be positive")]
    public void ReauthenticationWindow_InProduction_IsAtMostFifteenMinutes(string window, string? expected) =>
        AssertOutcome(new SessionProductionRules(Production).Validate(null,
            new SessionOptions { ReauthenticationWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) }), expected);

    [Theory]
    [InlineData(nameof(LockoutOptions.LockoutDuration), "00:01:00", null)]
    [InlineData(nameof(LockoutOptions.LockoutDuration), "00:00:59", "Ruum:Lockout:LockoutDuration is 00:00:59, under the 00:01:00")]
    [InlineData(nameof(LockoutOptions.LockoutDuration), "-00:05:00", "Ruum:Lockout:LockoutDuration")]
    [InlineData(nameof(LockoutOptions.FirstDelay), "00:00:00", "Ruum:Lockout:FirstDelay is 00:00:00: it must be positive")]
    [InlineData(nameof(LockoutOptions.RateLimitWindow), "-00:00:01", "Ruum:Lockout:RateLimitWindow")]
    public void PasswordLockout_InProduction_LastsAtLeastAMinute(string property, string value, string? expected)
    {
        var options = new LockoutOptions();
        typeof(LockoutOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        AssertOutcome(new LockoutProductionRules(Production).Validate(null, options), expected);
    }

    [Theory]
    [InlineData(nameof(OtpOptions.FailureLockout), "00:01:00", null)]
    [InlineData(nameof(OtpOptions.FailureLockout), "00:00:59", "Ruum:Otp:FailureLockout")]
    [InlineData(nameof(OtpOptions.EmailCodeLifetime), "00:10:00", null)]
    [InlineData(nameof(OtpOptions.EmailCodeLifetime), "00:10:01", "Ruum:Otp:EmailCodeLifetime")]
    [InlineData(nameof(OtpOptions.EmailCodeLifetime), "00:00:00", "Ruum:Otp:EmailCodeLifetime")]
    [InlineData(nameof(OtpOptions.PendingSignInLifetime), "01:00:01", "Ruum:Otp:PendingSignInLifetime")]
    public void OtpLifetime_InProduction_IsBounded(string property, string value, string? expected)
    {
        var options = new OtpOptions { HashingKey = new string('k', 40) };
        typeof(OtpOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        AssertOutcome(new OtpProductionRules(Production).Validate(null, options), expected);
    }

    public static TheoryData<string, string?, string?, string?> Connections => new()
    {
        { "Host=db.example.net;SSL Mode=VerifyFull", null, null, null },
        { "Host=db.example.net;SSL Mode=VerifyCA", "the provider's certificates name a wildcard Npgsql cannot match", null, null },
        { "Host=db.example.net;SSL Mode=VerifyCA", null, null, "Ruum:Database:VerifyCaReason" },
        { "Host=db.example.net;SSL Mode=Require", null, null, "ConnectionStrings:Default reaches db.example.net with SSL Mode=Require" },
        { "Host=db.example.net;SSL Mode=Require", "a reason for VerifyCA only", "not for this either", "SSL Mode=Require" },
        { "Host=db.example.net;SSL Mode=Allow", null, null, "SSL Mode=Allow" },
        { "Host=db.example.net;SSL Mode=Disable", null, null, "SSL Mode=Disable" },
        { "Host=db.example.net", null, null, "SSL Mode=Prefer" },
        { "Host=10.0.0.5;SSL Mode=Require", null, null, "reaches 10.0.0.5" },
        { "Host=127.0.0.1,db.example.net;SSL Mode=Require", null, null, "reaches 127.0.0.1,db.example.net" },
        { "Host=127.0.0.1", null, null, null },
        { "Host=localhost:5432", null, null, null },
        { "Host=::1", null, null, null },
        { "Host=/var/run/postgresql", null, null, null },
        { "Host=postgres", null, null, "Ruum:Database:ContainerNetworkReason" },
        { "Host=dpg-abc123-a;SSL Mode=Require", null, null, "Ruum:Database:ContainerNetworkReason" },
        { "Host=postgres", null, "compose's bridge network never leaves this machine", null },
    };

    [Theory]
    [MemberData(nameof(Connections))]
    public void DatabaseConnection_InProduction_VerifiesTheCertificateUnlessLocal(
        string connection, string? verifyCaReason, string? containerNetworkReason, string? expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = connection + ";Database=ruum" })
            .Build();
        var options = new DatabaseOptions
        {
            Provider = DatabaseProvider.PostgreSQL,
            VerifyCaReason = verifyCaReason,
            ContainerNetworkReason = containerNetworkReason,
        };

        AssertOutcome(new DatabaseProductionRules(Production, configuration).Validate(null, options), expected);
    }

    public static TheoryData<string, string, string?> Keys => new()
    {
        { "RSA 2048", SecurityAlgorithms.RsaSha256, null },
        { "RSA 1024", SecurityAlgorithms.RsaSha256, "Ruum:Signing:Keys:0 is an RSA key of 1024 bits: signing keys need at least 2048" },
        { "RSA 2040", SecurityAlgorithms.RsaSha256, "of 2040 bits" },
        { "RSA 2048", SecurityAlgorithms.EcdsaSha256, "Ruum:Signing:Keys:0 holds an RSA key but signs ES256" },
        { "P-256", SecurityAlgorithms.EcdsaSha256, null },
        { "P-384", SecurityAlgorithms.EcdsaSha384, null },
        { "P-521", SecurityAlgorithms.EcdsaSha512, null },
        { "P-384", SecurityAlgorithms.EcdsaSha256, "Ruum:Signing:Keys:0 is an EC key on P-384 but signs ES256, which needs P-256" },
        { "P-256", SecurityAlgorithms.EcdsaSha384, "is an EC key on P-256 but signs ES384, which needs P-384" },
        { "P-256", SecurityAlgorithms.EcdsaSha512, "which needs P-521" },
        { "brainpoolP256r1", SecurityAlgorithms.EcdsaSha256, "but signs ES256, which needs P-256" },
        { "P-256", SecurityAlgorithms.RsaSha256, "Ruum:Signing:Keys:0 holds an EC key but signs RS256" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void SigningKey_ForItsAlgorithm_IsOfItsTypeAndStrongEnough(string key, string algorithm, string? expected)
    {
        using var credentialsKey = CreateKey(key);
        var securityKey = credentialsKey is RSA rsa ? (SecurityKey)new RsaSecurityKey(rsa) : new ECDsaSecurityKey((ECDsa)credentialsKey);

        var problems = SigningKeyChecks.Problems(new SigningCredentials(securityKey, algorithm), 0).ToList();

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, problem => problem.Contains(expected, StringComparison.Ordinal));
        }
    }

    private static AsymmetricAlgorithm CreateKey(string key) => key switch
    {
        "P-256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "P-384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        "P-521" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        "brainpoolP256r1" => ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1),
        _ => RSA.Create(int.Parse(key["RSA ".Length..], System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static void AssertOutcome(ValidateOptionsResult result, string? expected)
    {
        if (expected is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.True(result.Failed, $"Expected a failure naming {expected}.");
            Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
