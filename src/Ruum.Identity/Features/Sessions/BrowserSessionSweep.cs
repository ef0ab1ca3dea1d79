using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using SessionOptions = Ruum.Identity.Features.Login.SessionOptions;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Sessions;

/// <summary>Deletes sessions nobody came back to before their timeouts (a returning browser deletes its own).</summary>
internal sealed class BrowserSessionSweep(RuumDbContext db, IOptions<SessionOptions> options, TimeProvider time) : IRetentionSweep
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var idleSince = now - options.Value.IdleTimeout;
        var createdBefore = now - options.Value.AbsoluteTimeout;
        return await db.Set<BrowserSession>().Where(s => s.LastSeenAt < idleSince || s.CreatedAt < createdBefore)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
