using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Lockout;

public enum PasswordGate
{
    Open,
    Delayed,
    Locked,
}

/// <summary>
/// Counts wrong passwords per account, or per trusted device when typed in one (second factors: <see cref="SecondFactorGuard"/>). Increments are single
/// UPDATE statements so concurrent attempts on several instances are all counted.
/// </summary>
public sealed class AccountLockouts(RuumDbContext db, IOptions<LockoutOptions> lockout, TimeProvider time, AuditLog audit)
{
    private const string PasswordFactor = "password";

    /// <summary>Whether a password attempt may be judged now: not while locked, nor before the growing delay has passed.</summary>
    public async Task<PasswordGate> PasswordGateAsync(Guid userId, CancellationToken cancellationToken)
    {
        var row = await FindAsync(userId, cancellationToken);
        var now = time.GetUtcNow();
        if (row?.PasswordLockedUntil is { } until)
        {
            if (now < until)
            {
                return PasswordGate.Locked;
            }
            await db.Set<AccountLockout>().Where(l => l.UserId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.PasswordLockedUntil, (DateTimeOffset?)null), cancellationToken);
            await audit.RecordAsync(AuditEventTypes.AccountUnlocked, AuditOutcomes.Success, userId,
                new { factor = PasswordFactor, reason = "expired" }, cancellationToken: cancellationToken);
        }
        return IsDelayed(row?.FailedPasswords ?? 0, row?.LastPasswordFailureAt, now) ? PasswordGate.Delayed : PasswordGate.Open;
    }

    /// <summary>The same gate for a password typed in a trusted device of the user: only the device's own failures count.</summary>
    public PasswordGate DeviceGate(TrustedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var now = time.GetUtcNow();
        return device.PasswordLockedUntil is { } until && now < until ? PasswordGate.Locked
            : IsDelayed(device.FailedPasswords, device.LastPasswordFailureAt, now) ? PasswordGate.Delayed
            : PasswordGate.Open;
    }

    /// <summary>A wrong password in a trusted device: counted (and locked) on that device alone, in single UPDATE statements.</summary>
    /// <returns>Whether this failure locked the device.</returns>
    public async Task<bool> RecordDevicePasswordFailureAsync(TrustedDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var now = time.GetUtcNow();
        var devices = db.Set<TrustedDevice>().Where(d => d.Id == device.Id);
        await devices.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.FailedPasswords, d => d.FailedPasswords + 1).SetProperty(d => d.LastPasswordFailureAt, now), cancellationToken);
        var settings = lockout.Value;
        var until = now + settings.LockoutDuration;
        var locked = await devices.Where(d => d.FailedPasswords >= settings.MaxFailedPasswords)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.FailedPasswords, 0).SetProperty(d => d.PasswordLockedUntil, until), cancellationToken);
        if (locked > 0)
        {
            await audit.RecordAsync(AuditEventTypes.AccountLocked, AuditOutcomes.Success, device.UserId,
                new { factor = PasswordFactor, device_id = device.Id, until }, cancellationToken: cancellationToken);
        }
        return locked > 0;
    }

    public async Task RecordDevicePasswordSuccessAsync(TrustedDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        await db.Set<TrustedDevice>().Where(d => d.Id == device.Id && d.FailedPasswords > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.FailedPasswords, 0), cancellationToken);
    }

    /// <summary>After the n-th wrong password the next attempt waits FirstDelay × 2^(n-1).</summary>
    private bool IsDelayed(int failures, DateTimeOffset? lastFailure, DateTimeOffset now) =>
        failures > 0 && lastFailure is { } last && now < last + lockout.Value.FirstDelay * Math.Pow(2, Math.Min(failures - 1, 20));

    /// <summary>
    /// Three statements, whoever the id names: the row is created only for a real user (an unknown email's
    /// <see cref="PasswordGuard"/> id inserts nothing and updates nothing, yet costs the same round trips).
    /// </summary>
    /// <returns>Whether this failure locked the account.</returns>
    public async Task<bool> RecordPasswordFailureAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO account_lockouts ("UserId", "FailedPasswords", "FailedSecondFactors")
            SELECT "Id", 0, 0 FROM users WHERE "Id" = {userId}
            ON CONFLICT ("UserId") DO NOTHING
            """, cancellationToken);
        await db.Set<AccountLockout>().Where(l => l.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.FailedPasswords, l => l.FailedPasswords + 1).SetProperty(l => l.LastPasswordFailureAt, now), cancellationToken);
        var settings = lockout.Value;
        var until = now + settings.LockoutDuration;
        // The count restarts with the lock, so the account is locked again only after another full run of failures.
        var locked = await db.Set<AccountLockout>().Where(l => l.UserId == userId && l.FailedPasswords >= settings.MaxFailedPasswords)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedPasswords, 0).SetProperty(l => l.PasswordLockedUntil, until), cancellationToken);
        if (locked > 0)
        {
            await audit.RecordAsync(AuditEventTypes.AccountLocked, AuditOutcomes.Success, userId,
                new { factor = PasswordFactor, until }, cancellationToken: cancellationToken);
        }
        return locked > 0;
    }

    public async Task RecordPasswordSuccessAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Set<AccountLockout>().Where(l => l.UserId == userId && l.FailedPasswords > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedPasswords, 0), cancellationToken);

    /// <summary>An admin lifts both locks and clears the counts; true when something was locked.</summary>
    public async Task<bool> UnlockAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wasLocked = await db.Set<AccountLockout>().AnyAsync(l => l.UserId == userId
            && ((l.PasswordLockedUntil != null && l.PasswordLockedUntil > now) || (l.SecondFactorLockedUntil != null && l.SecondFactorLockedUntil > now)),
            cancellationToken);
        await db.Set<AccountLockout>().Where(l => l.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.FailedPasswords, 0).SetProperty(l => l.PasswordLockedUntil, (DateTimeOffset?)null)
            .SetProperty(l => l.FailedSecondFactors, 0).SetProperty(l => l.SecondFactorLockedUntil, (DateTimeOffset?)null), cancellationToken);
        if (wasLocked)
        {
            await audit.RecordAsync(AuditEventTypes.AccountUnlocked, AuditOutcomes.Success, userId, new { reason = "admin" },
                cancellationToken: cancellationToken);
        }
        return wasLocked;
    }

    private Task<AccountLockout?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<AccountLockout>().AsNoTracking().SingleOrDefaultAsync(l => l.UserId == userId, cancellationToken);
}
