using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

public enum TotpCheck
{
    Valid,
    Wrong,
    Replayed,
}

/// <summary>
/// RFC 6238 authenticator apps with Otp.NET: 30 s steps, 6 digits, one step of drift either way (§5.2),
/// and each time step accepted once per user (§5.2: "MUST NOT accept the second attempt of the same OTP").
/// </summary>
public sealed class Authenticators(RuumDbContext db, IDataProtectionProvider protection, TimeProvider time)
{
    public const int SecretBytes = 20;
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);
    private readonly IDataProtector _protector = protection.CreateProtector("Ruum.Otp.AuthenticatorSecret");

    public async Task<bool> IsEnabledAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Set<Authenticator>().AnyAsync(a => a.UserId == userId && a.ConfirmedAt != null, cancellationToken);

    /// <summary>The base32 secret being enrolled: the same one on every reload until it is confirmed.</summary>
    public async Task<string> BeginEnrolmentAsync(Guid userId, CancellationToken cancellationToken)
    {
        var existing = await db.Set<Authenticator>().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (existing is { ConfirmedAt: null })
        {
            return _protector.Unprotect(existing.ProtectedSecret);
        }
        if (existing is not null)
        {
            throw new InvalidOperationException("The user already has an authenticator; remove it first.");
        }
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(SecretBytes));
        await SaveAsync(userId, secret, confirmed: false, cancellationToken);
        return secret;
    }

    /// <summary>Stores a secret directly (the Development seed's fixed one).</summary>
    public async Task SaveAsync(Guid userId, string base32Secret, bool confirmed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.Add(new Authenticator
        {
            UserId = userId,
            ProtectedSecret = _protector.Protect(base32Secret),
            CreatedAt = now,
            ConfirmedAt = confirmed ? now : null,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Enrolment finishes only with a valid code from the app.</summary>
    public async Task<TotpCheck> ConfirmAsync(Guid userId, string code, CancellationToken cancellationToken) =>
        await CheckAsync(userId, code, confirmed: false, cancellationToken);

    public async Task<TotpCheck> VerifyAsync(Guid userId, string code, CancellationToken cancellationToken) =>
        await CheckAsync(userId, code, confirmed: true, cancellationToken);

    public async Task RemoveAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.Set<Authenticator>().Where(a => a.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<RecoveryCode>().Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The <c>otpauth://</c> URI authenticator apps read from the QR code (Key Uri Format).</summary>
    public static string KeyUri(string issuer, string account, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={secret}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";

    private async Task<TotpCheck> CheckAsync(Guid userId, string code, bool confirmed, CancellationToken cancellationToken)
    {
        var authenticator = await db.Set<Authenticator>().AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (authenticator is null || (authenticator.ConfirmedAt is not null) != confirmed)
        {
            return TotpCheck.Wrong;
        }
        var totp = new Totp(Base32Encoding.ToBytes(_protector.Unprotect(authenticator.ProtectedSecret)));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, Drift))
        {
            return TotpCheck.Wrong;
        }
        var now = time.GetUtcNow();
        // Conditional update: of two requests with the same step, only one moves the counter past it.
        var accepted = await db.Set<Authenticator>().Where(a => a.UserId == userId && a.LastUsedTimeStep < step)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastUsedTimeStep, step)
                .SetProperty(a => a.ConfirmedAt, a => a.ConfirmedAt ?? now), cancellationToken);
        return accepted > 0 ? TotpCheck.Valid : TotpCheck.Replayed;
    }
}
