using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Clients;

/// <summary><c>Ruum:Clients</c>: how client credentials are checked.</summary>
public sealed class ClientOptions
{
    public const string Section = "Ruum:Clients";
    public const string DevelopmentSecretHashKey = "development-client-secret-key-not-for-production";

    /// <summary>
    /// Server key for the HMAC-SHA256 that stores client secrets. Replacing it without keeping the old one under
    /// <see cref="PreviousSecretHashKeys"/> invalidates every secret hashed with it (PBKDF2 hashes from before keep working).
    /// </summary>
    [Required, MinLength(32)]
    public string SecretHashKey { get; set; } = DevelopmentSecretHashKey;

    /// <summary>The id stored in front of every hash <see cref="SecretHashKey"/> makes (hashes from before ids belong to <c>1</c>).</summary>
    [Required, RegularExpression(Infrastructure.Secrets.VersionedKeys.IdPattern)]
    public string SecretHashKeyId { get; set; } = Infrastructure.Secrets.VersionedKeys.LegacyId;

    /// <summary>Earlier keys by id: their secrets still verify, and are rehashed with <see cref="SecretHashKey"/> on first use.</summary>
    public Dictionary<string, string> PreviousSecretHashKeys { get; } = [];

    /// <summary>
    /// How long an instance keeps a client (and a scope's resources) in memory instead of reading the database on
    /// every token request. Changes made on this instance apply at once; other instances see them within this time,
    /// which is why it is at most 30 s.
    /// </summary>
    [TimeSpanRange("00:00:00", "00:00:30")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Outside Development the public development key must not be used.</summary>
internal sealed class ClientProductionRules(IHostEnvironment environment) : ProductionRules<ClientOptions>(environment)
{
    protected override IEnumerable<string> Check(ClientOptions options)
    {
        if (options.SecretHashKey == ClientOptions.DevelopmentSecretHashKey)
        {
            yield return $"{ClientOptions.Section}:SecretHashKey is the development value: "
                + "set Ruum__Clients__SecretHashKey to a random secret of at least 32 characters.";
        }
        foreach (var failure in Infrastructure.Secrets.PreviousKeyRules.Check($"{ClientOptions.Section}:PreviousSecretHashKeys",
            $"{ClientOptions.Section}:SecretHashKeyId", options.SecretHashKeyId, options.PreviousSecretHashKeys,
            key => key != ClientOptions.DevelopmentSecretHashKey && key.Length >= 32, "a real secret of at least 32 characters"))
        {
            yield return failure;
        }
    }
}
