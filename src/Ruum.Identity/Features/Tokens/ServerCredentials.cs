using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// What signs and encrypts tokens, loaded once at start-up. The first configured key signs what others validate
/// (access and identity tokens; every key is published in JWKS); an HMAC key derived from the encryption key signs
/// what only this server reads (codes and refresh tokens, see <see cref="SignServerOnlyTokensWithHmac"/>).
/// </summary>
internal sealed class ServerCredentials
{
    public ServerCredentials(SigningKeys keys)
    {
        Published = keys.LoadSigningCredentials();
        var encryptionKey = keys.LoadEncryptionKey();
        Encryption = new(encryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512);
        ServerOnly = new(SigningKeys.DeriveServerOnlySigningKey(encryptionKey), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>In configured order: the first signs (a P-256 EC key ES256, about 8x cheaper; an RSA key RS256, the default).</summary>
    public IReadOnlyList<SigningCredentials> Published { get; }

    public SigningCredentials ServerOnly { get; }

    public EncryptingCredentials Encryption { get; }
}
