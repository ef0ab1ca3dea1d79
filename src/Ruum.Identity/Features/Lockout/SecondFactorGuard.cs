using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Notifications;
using Ruum.Identity.Features.Otp;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Lockout;

/// <summary>How the verifier judged one second-factor guess.</summary>
public enum GuessOutcome
{
    Right,
    Wrong,

    /// <summary>Nothing was compared (no code, an expired code): the reserved attempt is given back.</summary>
    NotJudged,
}

/// <summary>
/// The one check sequence of every page that verifies a second factor (emailed code, app code, recovery code,
/// enrolment confirmation): reserve an attempt in the database, verify, then settle it. The reservation is a
/// single conditional UPDATE, so however many guesses race (on however many instances), at most
/// <see cref="OtpOptions.MaxConsecutiveFailures"/> are judged before the lock (ASVS 5.0 V6.3.1).
/// </summary>
public sealed class SecondFactorGuard(RuumDbContext db, IOptions<OtpOptions> otp, TimeProvider time, AuditLog audit,
    CredentialNotifications notifications)
{
    private const string Factor = "second_factor";

    /// <summary>Whether the account's second factor is locked now (for showing the page and not mailing codes); an expired lock is lifted.</summary>
    public async Task<bool> IsLockedAsync(Guid userId, CancellationToken cancellationToken)
    {
        var until = await db.Set<AccountLockout>().AsNoTracking().Where(l => l.UserId == userId)
            .Select(l => l.SecondFactorLockedUntil).SingleOrDefaultAsync(cancellationToken);
        if (until is null)
        {
            return false;
        }
        var now = time.GetUtcNow();
        if (now < until)
        {
            return true;
        }
        var lifted = await db.Set<AccountLockout>().Where(l => l.UserId == userId && l.SecondFactorLockedUntil != null && l.SecondFactorLockedUntil <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.SecondFactorLockedUntil, (DateTimeOffset?)null), cancellationToken);
        if (lifted > 0)
        {
            await audit.RecordAsync(AuditEventTypes.AccountUnlocked, AuditOutcomes.Success, userId,
                new { factor = Factor, reason = "expired" }, cancellationToken: cancellationToken);
        }
        return false;
    }

    /// <summary>
    /// Reserves an attempt, runs <paramref name="verify"/> only if one was reserved, and settles it: a right guess
    /// releases the whole budget, a wrong one keeps the reservation as its failure, an unjudged one gives it back.
    /// </summary>
    /// <returns>The verifier's result, or null when refused (locked or the budget is spent; audited here).</returns>
    public async Task<T?> JudgeAsync<T>(Guid userId, string method, string? clientId, Func<Task<T>> verify, Func<T, GuessOutcome> outcome,
        CancellationToken cancellationToken) where T : struct
    {
        ArgumentNullException.ThrowIfNull(verify);
        ArgumentNullException.ThrowIfNull(outcome);
        if (await IsLockedAsync(userId, cancellationToken) || !await ReserveAsync(userId, cancellationToken))
        {
            // A reservation abandoned mid-request (a dropped connection) may have spent the budget without a lock: start it now.
            await LockIfSpentAsync(userId, cancellationToken);
            await audit.RecordAsync(AuditEventTypes.CodeFailed, AuditOutcomes.Failure, userId, new { method, reason = "locked" }, clientId, cancellationToken);
            return null;
        }
        var result = await verify();
        switch (outcome(result))
        {
            case GuessOutcome.Right:
                await db.Set<AccountLockout>().Where(l => l.UserId == userId && (l.FailedSecondFactors > 0 || l.SecondFactorLockedUntil != null))
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedSecondFactors, 0).SetProperty(l => l.SecondFactorLockedUntil, (DateTimeOffset?)null),
                        cancellationToken);
                break;
            case GuessOutcome.NotJudged:
                await db.Set<AccountLockout>().Where(l => l.UserId == userId && l.FailedSecondFactors > 0)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedSecondFactors, l => l.FailedSecondFactors - 1), cancellationToken);
                break;
            default:
                await LockIfSpentAsync(userId, cancellationToken);
                break;
        }
        return result;
    }

    /// <summary>One conditional UPDATE: counts the attempt only while the count is below the limit and no lock is active.</summary>
    private async Task<bool> ReserveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var max = otp.Value.MaxConsecutiveFailures;
        var now = time.GetUtcNow();
        var open = db.Set<AccountLockout>().Where(l => l.UserId == userId && l.FailedSecondFactors < max
            && (l.SecondFactorLockedUntil == null || l.SecondFactorLockedUntil <= now));
        if (await open.ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedSecondFactors, l => l.FailedSecondFactors + 1), cancellationToken) > 0)
        {
            return true;
        }
        if (await db.Set<AccountLockout>().AnyAsync(l => l.UserId == userId, cancellationToken))
        {
            return false;
        }
        var first = new AccountLockout { UserId = userId, FailedSecondFactors = 1 };
        try
        {
            db.Add(first);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another request created the row first: reserve on it, under the same condition.
            db.Entry(first).State = EntityState.Detached;
            return await open.ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedSecondFactors, l => l.FailedSecondFactors + 1), cancellationToken) > 0;
        }
        finally
        {
            db.Entry(first).State = EntityState.Detached;
        }
    }

    /// <summary>The count restarts with the lock, so the account is locked again only after another full run of failures.</summary>
    private async Task LockIfSpentAsync(Guid userId, CancellationToken cancellationToken)
    {
        var settings = otp.Value;
        var now = time.GetUtcNow();
        var until = now + settings.FailureLockout;
        var locked = await db.Set<AccountLockout>().Where(l => l.UserId == userId && l.FailedSecondFactors >= settings.MaxConsecutiveFailures
                && (l.SecondFactorLockedUntil == null || l.SecondFactorLockedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.FailedSecondFactors, 0).SetProperty(l => l.SecondFactorLockedUntil, until), cancellationToken);
        if (locked > 0)
        {
            await audit.RecordAsync(AuditEventTypes.AccountLocked, AuditOutcomes.Success, userId,
                new { factor = Factor, until }, cancellationToken: cancellationToken);
            await notifications.SendAsync(userId, CredentialNotice.AccountLocked, cancellationToken);
        }
    }
}
