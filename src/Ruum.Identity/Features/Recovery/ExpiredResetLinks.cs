using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Recovery;

/// <summary>Reset links are useless a day after they expire (the hourly limit looks back one hour); the audit log keeps the history.</summary>
internal sealed class ExpiredResetLinks(RuumDbContext db, TimeProvider time) : IRetentionSweep
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-1);
        return await db.Set<PasswordResetLink>().Where(l => l.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
