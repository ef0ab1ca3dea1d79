using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Infrastructure.Secrets;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// HMAC-SHA256 with the server key (<see cref="OtpOptions.HashingKey"/>). Codes and tokens are stored only as this
/// hash; the purpose is part of the input so a hash made for one use never matches another. A stored hash names its
/// key (<see cref="VersionedKeys"/>), so a new key can be added while hashes made with an earlier one still match.
/// </summary>
public sealed class KeyedHasher
{
    private readonly VersionedKeys _keys;

    public KeyedHasher(IOptions<OtpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _keys = new($"{OtpOptions.Section}:HashingKey", settings.HashingKeyId, Encoding.UTF8.GetBytes(settings.HashingKey),
            settings.PreviousHashingKeys.Select(pair => KeyValuePair.Create(pair.Key, Encoding.UTF8.GetBytes(pair.Value))));
    }

    /// <summary>The stored form, made with the current key.</summary>
    public string Hash(string purpose, string value) => _keys.Stamp(Base64UrlEncoder.Encode(Mac(_keys.Current, purpose, value)));

    /// <summary>Every stored form <paramref name="value"/> may have (one per key, and the form from before key ids): to look a hash up.</summary>
    public IReadOnlyList<string> Candidates(string purpose, string value)
    {
        var candidates = new List<string>();
        foreach (var (id, key) in _keys.All)
        {
            var mac = Mac(key, purpose, value);
            candidates.Add(id + ":" + Base64UrlEncoder.Encode(mac));
            if (id == VersionedKeys.LegacyId)
            {
                candidates.Add(Convert.ToHexString(mac));
            }
        }
        return candidates;
    }

    public bool Matches(string purpose, string value, string expectedHash)
    {
        ArgumentNullException.ThrowIfNull(expectedHash);
        var (key, stored, stamped) = _keys.Open(expectedHash);
        if (key is null)
        {
            return false;
        }
        var mac = Mac(key, purpose, value);
        var computed = stamped ? Base64UrlEncoder.Encode(mac) : Convert.ToHexString(mac);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(stored));
    }

    /// <summary>Made with the current key: nothing to rehash.</summary>
    public bool IsCurrent(string stored) => _keys.IsCurrent(stored);

    /// <summary>
    /// A stable stand-in for a value that is never checked again, only recomputed (an unknown address in the audit log,
    /// a lockout row for an address nobody has): hex, with the current key, so it changes when the key does.
    /// </summary>
    public string Pseudonym(string purpose, string value) => Convert.ToHexString(Mac(_keys.Current, purpose, value));

    private static byte[] Mac(byte[] key, string purpose, string value) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + "\n" + value));
}
