using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Lockout;

public enum PasswordGate
{
    Open,
    Delayed,
    Locked,
}

/// <summary>
/// Counts wrong passwords per account (second factors: <see cref="SecondFactorGuard"/>). Increments are single
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
        if (row is { FailedPasswords: > 0, LastPasswordFailureAt: { } last }
            && now < last + lockout.Value.FirstDelay * Math.Pow(2, Math.Min(row.FailedPasswords - 1, 20)))
        {
            return PasswordGate.Delayed;
        }
        return PasswordGate.Open;
    }

    public async Task RecordPasswordFailureAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await IncrementAsync(userId, s => s.SetProperty(l => l.FailedPasswords, l => l.FailedPasswords + 1)
            .SetProperty(l => l.LastPasswordFailureAt, now), new AccountLockout { UserId = userId, FailedPasswords = 1, LastPasswordFailureAt = now },
            cancellationToken);
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
    }

    public async Task RecordPasswordSuccessAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Set<AccountLockout>().Where(l => l.UserId == userId && l.FailedPasswords > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedPasswords, 0), cancellationToken);

    private Task<AccountLockout?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<AccountLockout>().AsNoTracking().SingleOrDefaultAsync(l => l.UserId == userId, cancellationToken);

    private async Task IncrementAsync(Guid userId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<AccountLockout>> increment,
        AccountLockout first, CancellationToken cancellationToken)
    {
        if (await db.Set<AccountLockout>().Where(l => l.UserId == userId).ExecuteUpdateAsync(increment, cancellationToken) > 0)
        {
            return;
        }
        try
        {
            db.Add(first);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance created the row first: count on it.
            db.Entry(first).State = EntityState.Detached;
            await db.Set<AccountLockout>().Where(l => l.UserId == userId).ExecuteUpdateAsync(increment, cancellationToken);
        }
        finally
        {
            db.Entry(first).State = EntityState.Detached;
        }
    }
}
