using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.TrustedDevices;

/// <summary>
/// The "trust this device" cookie: a random 256-bit token, of which the database keeps only a keyed hash,
/// together with a keyed hash of the device fingerprint. A remembered device skips the code, but it is not
/// an authenticator (NIST SP 800-63B §5.1), so such a sign-in says only <c>pwd</c>.
/// </summary>
public sealed class TrustedDeviceStore(RuumDbContext db, KeyedHasher hasher, IOptions<TrustedDeviceOptions> options,
    IOptions<Login.SessionOptions> session, TimeProvider time, AuditLog audit)
{
    private const string TokenPurpose = "trusted-device-token";
    private const string FingerprintPurpose = "trusted-device-fingerprint";

    public string CookieName => session.Value.CookieName("ruum.device");

    /// <summary>Whether this browser is a live trusted device of this user; every rejection is audited with its reason.</summary>
    public async Task<bool> IsTrustedAsync(HttpContext context, Guid userId, string? clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(context.Request.Cookies[CookieName]))
        {
            return false;
        }
        var (device, reason) = await CheckAsync(context, userId, cancellationToken);
        if (reason is not null)
        {
            // The device id is only told to its owner's audit trail; another user's device stays anonymous.
            await audit.RecordAsync(AuditEventTypes.DeviceRejected, AuditOutcomes.Failure, userId,
                new { reason, device_id = device?.UserId == userId ? device.Id : (Guid?)null }, clientId, cancellationToken);
            return false;
        }
        device!.LastUsedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditEventTypes.DeviceUsed, AuditOutcomes.Success, userId,
            new { device_id = device.Id, label = device.Label }, clientId, cancellationToken);
        return true;
    }

    /// <summary>
    /// The live trusted device of this user that this browser is, or null; nothing is recorded (the password step
    /// asks this before judging). Without a cookie, one query all the same: the work does not depend on the user.
    /// </summary>
    public async Task<TrustedDevice?> FindAsync(HttpContext context, Guid userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (device, reason) = await CheckAsync(context, userId, cancellationToken);
        return reason is null ? device : null;
    }

    private async Task<(TrustedDevice? Device, string? Reason)> CheckAsync(HttpContext context, Guid userId, CancellationToken cancellationToken)
    {
        var token = context.Request.Cookies[CookieName];
        IReadOnlyList<string> tokenHashes = token is { Length: > 0 and <= 100 } ? hasher.Candidates(TokenPurpose, token) : [""];
        var device = await db.Set<TrustedDevice>().SingleOrDefaultAsync(d => tokenHashes.Contains(d.TokenHash), cancellationToken);
        var now = time.GetUtcNow();
        var fingerprint = DeviceFingerprint.From(context.Request.Headers.UserAgent);
        var reason = device switch
        {
            null => "unknown_token",
            _ when device.UserId != userId => "other_user",
            { RevokedAt: not null } => "revoked",
            _ when device.ExpiresAt <= now => "expired",
            _ when !hasher.Matches(FingerprintPurpose, fingerprint.Canonical, device.FingerprintHash) => "fingerprint_mismatch",
            _ => null,
        };
        return (device, reason);
    }

    public async Task TrustAsync(HttpContext context, Guid userId, string? clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var fingerprint = DeviceFingerprint.From(context.Request.Headers.UserAgent);
        var now = time.GetUtcNow();
        var device = new TrustedDevice
        {
            UserId = userId,
            TokenHash = hasher.Hash(TokenPurpose, token),
            FingerprintHash = hasher.Hash(FingerprintPurpose, fingerprint.Canonical),
            Label = fingerprint.Label,
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = now + options.Value.Lifetime,
        };
        db.Add(device);
        await db.SaveChangesAsync(cancellationToken);
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = session.Value.SecureCookies,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
            Expires = device.ExpiresAt,
        });
        await audit.RecordAsync(AuditEventTypes.DeviceTrusted, AuditOutcomes.Success, userId,
            new { device_id = device.Id, label = device.Label }, clientId, cancellationToken);
    }

    public async Task<List<TrustedDevice>> ListActiveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var devices = await db.Set<TrustedDevice>().AsNoTracking()
            .Where(d => d.UserId == userId && d.RevokedAt == null && d.ExpiresAt > now)
            .ToListAsync(cancellationToken);
        return [.. devices.OrderByDescending(d => d.LastUsedAt)];
    }

    public bool IsCurrentDevice(HttpContext context, TrustedDevice device)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(device);
        var token = context.Request.Cookies[CookieName];
        return token is { Length: > 0 and <= 100 } && hasher.Matches(TokenPurpose, token, device.TokenHash);
    }

    public async Task<bool> RevokeAsync(Guid userId, Guid deviceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var revoked = await db.Set<TrustedDevice>().Where(d => d.Id == deviceId && d.UserId == userId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, now), cancellationToken);
        if (revoked > 0)
        {
            await audit.RecordAsync(AuditEventTypes.DeviceRevoked, AuditOutcomes.Success, userId,
                new { device_id = deviceId, reason = "user" }, cancellationToken: cancellationToken);
        }
        return revoked > 0;
    }

    /// <summary>Every device of the user: on request, and whenever the password or the second factor changes.</summary>
    public async Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var revoked = await db.Set<TrustedDevice>().Where(d => d.UserId == userId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, now), cancellationToken);
        if (revoked > 0)
        {
            await audit.RecordAsync(AuditEventTypes.DeviceRevoked, AuditOutcomes.Success, userId,
                new { count = revoked, reason }, cancellationToken: cancellationToken);
        }
        return revoked;
    }
}
