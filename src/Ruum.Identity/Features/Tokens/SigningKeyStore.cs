using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// The database's signing key set: creates the first key, rotates (automatically every
/// <see cref="SigningOptions.RotationInterval"/>, or on demand), one instance at a time (an advisory lock).
/// </summary>
internal sealed partial class SigningKeyStore(
    RuumDbContext db,
    IDataProtectionProvider dataProtection,
    IOptions<SigningOptions> signing,
    IOptions<TokenOptions> tokens,
    TimeProvider time,
    ILogger<SigningKeyStore> logger)
{
    private const string Purpose = "Ruum.Identity.SigningKeys";

    private IDataProtector Protector => dataProtection.CreateProtector(Purpose);

    /// <summary>Every key, after creating the first one or rotating when one is due.</summary>
    public async Task<List<SigningKey>> LoadAsync(CancellationToken cancellationToken)
    {
        var keys = await ReadAsync(cancellationToken);
        if (!NeedsNewKey(keys, time.GetUtcNow()))
        {
            return keys;
        }
        await using (await AdvisoryLock.AcquireAsync(db, AdvisoryLock.SigningKeys, cancellationToken))
        {
            // Another instance may have done it while this one waited.
            keys = await ReadAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (NeedsNewKey(keys, now))
            {
                var immediately = SigningAt(keys, now) is null;
                await AddKeyAsync(keys, now, immediately, cancellationToken);
                LogRotated(logger, immediately ? "first key, signing now" : "scheduled rotation");
            }
        }
        return await ReadAsync(cancellationToken);
    }

    /// <summary>
    /// A new key: published at once, signing after <see cref="SigningOptions.ActivationDelay"/> (so every API's key
    /// cache has it first), the others kept in JWKS until the last token they signed has expired. With
    /// <paramref name="now"/> (an incident), it signs at once and the others are revoked: out of JWKS at once.
    /// </summary>
    public async Task<SigningKey> RotateAsync(bool now, CancellationToken cancellationToken)
    {
        await using (await AdvisoryLock.AcquireAsync(db, AdvisoryLock.SigningKeys, cancellationToken))
        {
            var keys = await ReadAsync(cancellationToken);
            var at = time.GetUtcNow();
            // With no key signing yet there is nothing to wait for.
            var key = await AddKeyAsync(keys, at, now || SigningAt(keys, at) is null, cancellationToken);
            LogRotated(logger, now ? "rotate --now, older keys revoked" : "rotate");
            return key;
        }
    }

    public Task<List<SigningKey>> ReadAsync(CancellationToken cancellationToken) =>
        db.Set<SigningKey>().OrderBy(k => k.ActivatesAt).ThenBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    public string Unprotect(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Protector.Unprotect(key.ProtectedPrivateKey);
    }

    /// <summary>
    /// The key signing at <paramref name="now"/>: of the published keys already active, the latest to activate. When
    /// none is active yet, the first to activate: a key another instance made to sign at once, seen from a clock a
    /// little behind.
    /// </summary>
    public static SigningKey? SigningAt(IEnumerable<SigningKey> keys, DateTimeOffset now)
    {
        var published = keys.Where(k => k.IsPublishedAt(now)).ToList();
        return published.Where(k => k.ActivatesAt <= now).MaxBy(k => (k.ActivatesAt, k.CreatedAt))
            ?? published.MinBy(k => (k.ActivatesAt, k.CreatedAt));
    }

    private bool NeedsNewKey(List<SigningKey> keys, DateTimeOffset now) =>
        SigningAt(keys, now) is null
        || keys.Where(k => k.IsPublishedAt(now)).Max(k => k.CreatedAt) + signing.Value.RotationInterval <= now;

    private async Task<SigningKey> AddKeyAsync(List<SigningKey> keys, DateTimeOffset now, bool immediately, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(SigningKeyChecks.MinimumRsaBits);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var key = new SigningKey
        {
            Id = SigningKeys.FromPem(pem).KeyId,
            Algorithm = SecurityAlgorithms.RsaSha256,
            ProtectedPrivateKey = Protector.Protect(pem),
            CreatedAt = now,
            ActivatesAt = immediately ? now : now + signing.Value.ActivationDelay,
        };
        // Access and identity tokens are what the published keys sign (codes and refresh tokens have their own key).
        var lastTokenExpires = key.ActivatesAt + Max(tokens.Value.AccessTokenLifetime, tokens.Value.IdentityTokenLifetime);
        foreach (var older in keys.Where(k => k.IsPublishedAt(now)))
        {
            if (immediately)
            {
                older.RevokedAt = now;
            }
            else if (older.RetiresAt is null || older.RetiresAt > lastTokenExpires)
            {
                older.RetiresAt = lastTokenExpires;
            }
        }
        db.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key created ({Reason})")]
    private static partial void LogRotated(ILogger logger, string reason);
}
