using System.ComponentModel.DataAnnotations;

namespace Ruum.Identity.Features.Otp;

/// <summary><c>Ruum:Otp</c>: the second step of every sign-in (emailed codes, authenticator apps, recovery codes).</summary>
public sealed class OtpOptions
{
    public const string Section = "Ruum:Otp";
    public const string DevelopmentHashingKey = "development-otp-hashing-key-not-for-production";

    /// <summary>HMAC-SHA256 key for emailed codes, trusted-device tokens, recovery codes and audited email hashes.</summary>
    [Required, MinLength(32)]
    public string HashingKey { get; set; } = DevelopmentHashingKey;

    /// <summary>The id stored in front of every hash <see cref="HashingKey"/> makes (hashes from before ids belong to <c>1</c>).</summary>
    [Required, RegularExpression(Infrastructure.Secrets.VersionedKeys.IdPattern)]
    public string HashingKeyId { get; set; } = Infrastructure.Secrets.VersionedKeys.LegacyId;

    /// <summary>Earlier hashing keys by id: hashes they made still match until the codes and devices expire.</summary>
    public Dictionary<string, string> PreviousHashingKeys { get; } = [];

    /// <summary>How long the "password passed, code pending" step lasts before the user must start again.</summary>
    public TimeSpan PendingSignInLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan EmailCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wrong tries one emailed code survives; after that it is dead and a new one must be asked for.</summary>
    [Range(1, 20)]
    public int MaxAttemptsPerCode { get; set; } = 5;

    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 100)]
    public int MaxResendsPerHour { get; set; } = 5;

    /// <summary>Consecutive wrong second factors per account, across codes and resends, before the lock.</summary>
    [Range(1, 100)]
    public int MaxConsecutiveFailures { get; set; } = 10;

    public TimeSpan FailureLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The issuer name authenticator apps show next to the account.</summary>
    [Required, MaxLength(64)]
    public string AuthenticatorIssuer { get; set; } = "Ruum";
}
