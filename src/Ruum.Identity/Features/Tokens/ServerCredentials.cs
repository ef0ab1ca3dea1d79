using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// What signs and encrypts tokens, loaded once at start-up. The configured keys, when there are any, sign what others
/// validate (access and identity tokens; the first signs, every key is published in JWKS); without them the database's
/// key set does (<see cref="SigningKeyRing"/>). An HMAC key derived from the encryption key signs what only this server
/// reads (codes and refresh tokens, see <see cref="SignServerOnlyTokensWithHmac"/>). The current encryption key and its
/// HMAC key encrypt and sign; earlier encryption keys (and theirs) still read what they made.
/// </summary>
internal sealed class ServerCredentials
{
    public ServerCredentials(SigningKeys keys)
    {
        Configured = keys.LoadSigningCredentials();
        var encryptionKeys = keys.LoadEncryptionKeys();
        Encryption = [.. encryptionKeys.Select(key => new EncryptingCredentials(key, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512))];
        ServerOnlyKeys = [.. encryptionKeys.Select(key => new SigningCredentials(SigningKeys.DeriveServerOnlySigningKey(key), SecurityAlgorithms.HmacSha256))];
    }

    /// <summary>In configured order: the first signs (a P-256 EC key ES256, about 8x cheaper; an RSA key RS256, the default). Empty: the database's key set signs.</summary>
    public IReadOnlyList<SigningCredentials> Configured { get; }

    /// <summary>
    /// What OpenIddict's options hold, built once at start-up (before the database is migrated): the configured keys,
    /// or a public-only RS256 stand-in that tells OpenIddict (and discovery) an RSA key signs. It can sign nothing and
    /// is never published or trusted: signing, JWKS and validation read <see cref="SigningKeyRing"/>.
    /// </summary>
    public IReadOnlyList<SigningCredentials> ForOptions => Configured.Count > 0 ? Configured : [DatabaseKeySetStandIn];

    /// <summary>Signs codes and refresh tokens: derived from the current encryption key.</summary>
    public SigningCredentials ServerOnly => ServerOnlyKeys[0];

    /// <summary>One per encryption key, the current one's first: every one checks codes and refresh tokens.</summary>
    public IReadOnlyList<SigningCredentials> ServerOnlyKeys { get; }

    /// <summary>The current encryption key first (it encrypts), then the earlier ones (they still decrypt).</summary>
    public IReadOnlyList<EncryptingCredentials> Encryption { get; }

    private static readonly SigningCredentials DatabaseKeySetStandIn = new(
        new RsaSecurityKey(new RSAParameters { Modulus = [.. Enumerable.Repeat((byte)0xFF, SigningKeyChecks.MinimumRsaBits / 8)], Exponent = [1, 0, 1] })
        {
            KeyId = "ruum-database-key-set",
        },
        SecurityAlgorithms.RsaSha256);
}
