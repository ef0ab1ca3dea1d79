using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Account;

/// <summary>A change link is useless a day after it expires; the audit log keeps the history.</summary>
internal sealed class ExpiredEmailChanges(RuumDbContext db, TimeProvider time) : IRetentionSweep
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-1);
        return await db.Set<EmailChange>().Where(c => c.ExpiresAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
