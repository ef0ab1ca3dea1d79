using System.ComponentModel.DataAnnotations;
using Ruum.Identity.Infrastructure.Hosting;

namespace Ruum.Identity.Features.Tokens;

/// <summary><c>Ruum:Signing</c>: keys that sign tokens and the key that encrypts codes and refresh tokens.</summary>
public sealed class SigningOptions
{
    public const string Section = "Ruum:Signing";

    /// <summary>
    /// The first key signs; every key is published in JWKS, so a new key can be announced before it signs. Empty: the
    /// database's key set signs and rotates itself (<see cref="SigningKeyRing"/>).
    /// </summary>
    public List<SigningKeyOptions> Keys { get; } = [];

    /// <summary>How long a new database key is published before it signs: longer than any API caches JWKS.</summary>
    [TimeSpanRange("00:00:00", "90.00:00:00")]
    public TimeSpan ActivationDelay { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How old the newest database key may get before a rotation begins by itself.</summary>
    [TimeSpanRange("1.00:00:00", "3650.00:00:00")]
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Base64 of 32 random bytes. Encrypts authorization codes and refresh tokens (only we read them).</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>The <c>kid</c> of <see cref="EncryptionKey"/> in the codes and refresh tokens it encrypts (tokens from before ids belong to <c>1</c>).</summary>
    [Required, RegularExpression(Infrastructure.Secrets.VersionedKeys.IdPattern)]
    public string EncryptionKeyId { get; set; } = Infrastructure.Secrets.VersionedKeys.LegacyId;

    /// <summary>Earlier encryption keys by id: codes and refresh tokens they encrypted are still read until they expire.</summary>
    public Dictionary<string, string> PreviousEncryptionKeys { get; } = [];

    /// <summary>Development only: where the generated encryption key is kept so it survives restarts.</summary>
    public string DevelopmentKeyFolder { get; set; } = ".data/keys";
}

/// <summary>One private key: inline PEM, a PEM file, or a PFX file. RSA signs RS256, an EC key ES256 unless <see cref="Algorithm"/> says otherwise.</summary>
public sealed class SigningKeyOptions
{
    /// <summary><c>RS256</c>, <c>ES256</c> (P-256), <c>ES384</c> (P-384) or <c>ES512</c> (P-521); unset, from the key type.</summary>
    public string? Algorithm { get; set; }

    public string? Pem { get; set; }
    public string? PemFile { get; set; }
    public string? PfxFile { get; set; }
    public string? PfxPassword { get; set; }
}
