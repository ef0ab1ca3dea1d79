using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Features.Users;

public enum PasswordCheck
{
    Failed,
    Success,
    SuccessRehashNeeded,
}

/// <summary>
/// NFKC-normalise, HMAC-SHA384 with the pepper, then bcrypt. The pre-hash is 64 base64 characters,
/// so bcrypt's 72-byte truncation never applies, and a 1 KiB cap bounds the work per attempt.
/// </summary>
public sealed class PasswordHasher
{
    public const int MaxPasswordBytes = 1024;

    private readonly PasswordOptions _options;
    private readonly byte[] _pepper;
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IOptions<PasswordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _pepper = Encoding.UTF8.GetBytes(_options.Pepper);
        _dummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(Prehash(password) ?? throw new ArgumentException("Password too long.", nameof(password)),
            _options.WorkFactor);

    /// <summary>
    /// Exactly one bcrypt verification whatever the input: a missing user is checked against a dummy hash
    /// so an unknown email costs the same time as a wrong password.
    /// </summary>
    public PasswordCheck Verify(string password, string? hash)
    {
        var prehash = Prehash(password);
        var ok = BCrypt.Net.BCrypt.Verify(prehash ?? string.Empty, hash ?? _dummyHash.Value) && prehash is not null && hash is not null;
        if (!ok)
        {
            return PasswordCheck.Failed;
        }
        return WorkFactorOf(hash!) < _options.WorkFactor ? PasswordCheck.SuccessRehashNeeded : PasswordCheck.Success;
    }

    /// <summary>Over the 1 KiB cap once NFKC-normalised: such a password can be neither set nor verified.</summary>
    public static bool IsTooLong(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return IsOverCap(password.Normalize(NormalizationForm.FormKC));
    }

    private static bool IsOverCap(string normalized) => Encoding.UTF8.GetByteCount(normalized) > MaxPasswordBytes;

    private string? Prehash(string password)
    {
        var normalized = password.Normalize(NormalizationForm.FormKC);
        if (IsOverCap(normalized))
        {
            return null;
        }
        return Convert.ToBase64String(HMACSHA384.HashData(_pepper, Encoding.UTF8.GetBytes(normalized)));
    }

    // "$2a$12$..." -> 12
    private static int WorkFactorOf(string hash) =>
        int.Parse(hash.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture);
}
