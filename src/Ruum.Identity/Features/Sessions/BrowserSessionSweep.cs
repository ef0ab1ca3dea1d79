using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;
using SessionOptions = Ruum.Identity.Features.Login.SessionOptions;

namespace Ruum.Identity.Features.Sessions;

/// <summary>
/// Deletes sessions nobody came back to, a day after their timeouts (as the other retention sweeps do): a browser that
/// returns after the timeout ends its own session, and that is audited then. These are audited here, once per user.
/// </summary>
internal sealed class BrowserSessionSweep(RuumDbContext db, AuditLog audit, IOptions<SessionOptions> options, TimeProvider time) : IRetentionSweep
{
    private static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var idleSince = now - options.Value.IdleTimeout - Grace;
        var createdBefore = now - options.Value.AbsoluteTimeout - Grace;
        var expired = db.Set<BrowserSession>().Where(s => s.LastSeenAt < idleSince || s.CreatedAt < createdBefore);
        var users = await expired.Select(s => s.UserId).ToListAsync(cancellationToken);
        if (users.Count == 0)
        {
            return 0;
        }
        var deleted = await expired.ExecuteDeleteAsync(cancellationToken);
        foreach (var user in users.GroupBy(u => u))
        {
            await audit.RecordAsync(AuditEventTypes.SessionEnded, AuditOutcomes.Success, user.Key,
                new { ended_by = SessionEndedBy.Timeout, sessions = user.Count() }, cancellationToken: cancellationToken);
        }
        return deleted;
    }
}
