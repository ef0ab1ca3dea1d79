using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

/// <summary>Ten single-use codes issued at enrolment, shown once, stored as keyed hashes.</summary>
public sealed class RecoveryCodes(RuumDbContext db, KeyedHasher hasher, TimeProvider time)
{
    public const int Count = 10;
    public const int MaxInputLength = 32;
    private const string Purpose = "recovery-code";

    // No 0/o, 1/l/i: codes are read from paper and typed by hand.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>Replaces any earlier codes; the plain codes exist only in the returned list.</summary>
    public async Task<IReadOnlyList<string>> IssueAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.Set<RecoveryCode>().Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow();
        var codes = Enumerable.Range(0, Count).Select(_ => NewCode()).ToList();
        db.AddRange(codes.Select(code => new RecoveryCode { UserId = userId, CodeHash = HashOf(userId, code), CreatedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }

    public async Task<int> CountUnusedAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Set<RecoveryCode>().CountAsync(r => r.UserId == userId && r.UsedAt == null, cancellationToken);

    /// <summary>Spends a code; true only for an unused code of this user (a racing second use loses).</summary>
    public async Task<bool> RedeemAsync(Guid userId, string input, CancellationToken cancellationToken)
    {
        var normalized = Normalize(input);
        if (normalized is null)
        {
            return false;
        }
        // Any key's hash of it: codes are kept until used, so they outlive a new hashing key.
        var hashes = hasher.Candidates(Purpose, userId + ":" + normalized);
        var now = time.GetUtcNow();
        return await db.Set<RecoveryCode>().Where(r => r.UserId == userId && hashes.Contains(r.CodeHash) && r.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), cancellationToken) > 0;
    }

    /// <summary>Case and surrounding spaces do not matter on paper; the dash is optional.</summary>
    public static string? Normalize(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var compact = input.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return compact.Length == 10 && compact.All(Alphabet.Contains) ? compact[..5] + "-" + compact[5..] : null;
    }

    private string HashOf(Guid userId, string code) => hasher.Hash(Purpose, userId + ":" + code);

    private static string NewCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, 10);
        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }
}
