using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ruum.Identity.Infrastructure.Secrets;

namespace Ruum.Identity.Features.Users;

public enum PasswordCheck
{
    Failed,
    Success,
    SuccessRehashNeeded,
}

/// <summary>
/// NFKC-normalise, HMAC-SHA384 with the pepper, then bcrypt. The pre-hash is 64 base64 characters,
/// so bcrypt's 72-byte truncation never applies, and a 1 KiB cap bounds the work per attempt. The stored hash names
/// its pepper (<see cref="VersionedKeys"/>): a new pepper is added beside the old one, and each password made with the
/// old one is rehashed with the new one at its next successful sign-in.
/// </summary>
public sealed class PasswordHasher
{
    public const int MaxPasswordBytes = 1024;

    private readonly PasswordOptions _options;
    private readonly VersionedKeys _peppers;
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IOptions<PasswordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _peppers = new($"{PasswordOptions.Section}:Pepper", _options.PepperId, Encoding.UTF8.GetBytes(_options.Pepper),
            _options.PreviousPeppers.Select(pair => KeyValuePair.Create(pair.Key, Encoding.UTF8.GetBytes(pair.Value))));
        _dummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public string Hash(string password) =>
        _peppers.Stamp(BCrypt.Net.BCrypt.HashPassword(
            Prehash(password, _peppers.Current) ?? throw new ArgumentException("Password too long.", nameof(password)), _options.WorkFactor));

    /// <summary>
    /// Exactly one bcrypt verification whatever the input: a missing user is checked against a dummy hash
    /// so an unknown email costs the same time as a wrong password; so does a hash whose pepper is no longer configured.
    /// </summary>
    public PasswordCheck Verify(string password, string? hash)
    {
        var (pepper, bcrypt, _) = _peppers.Open(hash ?? _dummyHash.Value);
        var prehash = Prehash(password, pepper ?? _peppers.Current);
        var ok = BCrypt.Net.BCrypt.Verify(prehash ?? string.Empty, pepper is null ? _peppers.Open(_dummyHash.Value).Value : bcrypt)
            && prehash is not null && hash is not null && pepper is not null;
        if (!ok)
        {
            return PasswordCheck.Failed;
        }
        return WorkFactorOf(bcrypt) < _options.WorkFactor || !_peppers.IsCurrent(hash)
            ? PasswordCheck.SuccessRehashNeeded
            : PasswordCheck.Success;
    }

    /// <summary>Over the 1 KiB cap once NFKC-normalised: such a password can be neither set nor verified.</summary>
    public static bool IsTooLong(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return IsOverCap(password.Normalize(NormalizationForm.FormKC));
    }

    private static bool IsOverCap(string normalized) => Encoding.UTF8.GetByteCount(normalized) > MaxPasswordBytes;

    private static string? Prehash(string password, byte[] pepper)
    {
        var normalized = password.Normalize(NormalizationForm.FormKC);
        if (IsOverCap(normalized))
        {
            return null;
        }
        return Convert.ToBase64String(HMACSHA384.HashData(pepper, Encoding.UTF8.GetBytes(normalized)));
    }

    // "$2a$12$..." -> 12
    private static int WorkFactorOf(string hash) =>
        int.Parse(hash.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture);
}
