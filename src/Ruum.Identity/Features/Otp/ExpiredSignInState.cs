using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.TrustedDevices;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// Pending sign-ins (with their emailed codes) and trusted devices are useless a day after they expire;
/// the audit log keeps the history. The day of grace keeps "expired" and "revoked" distinguishable for a while.
/// </summary>
public sealed class ExpiredSignInState(RuumDbContext db, TimeProvider time) : IRetentionSweep
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-1);
        var pending = await db.Set<PendingSignIn>().Where(p => p.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        var devices = await db.Set<TrustedDevice>().Where(d => d.ExpiresAt < cutoff || d.RevokedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return pending + devices;
    }
}
