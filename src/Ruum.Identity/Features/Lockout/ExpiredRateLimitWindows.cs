using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Lockout;

/// <summary>A rate-limit window that has ended counts nothing any more.</summary>
internal sealed class ExpiredRateLimitWindows(RuumDbContext db, TimeProvider time) : IRetentionSweep
{
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.Set<RateLimitWindow>().Where(w => w.EndsAt < now).ExecuteDeleteAsync(cancellationToken);
    }
}
