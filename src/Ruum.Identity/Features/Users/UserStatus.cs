using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Users;

/// <summary>Disabling a user (the admin API calls it): what a disabled user held stops working at once.</summary>
public sealed class UserStatus(RuumDbContext db, BrowserSessions sessions, AccessTokenCutoffs cutoffs, TimeProvider time)
{
    /// <summary>
    /// The user can no longer sign in; their browser sessions end and introspection and userinfo refuse their access
    /// tokens at once (the cutoff). Codes and refresh tokens are refused at the token endpoint for a disabled user.
    /// </summary>
    /// <returns>False when there is no such user.</returns>
    public async Task<bool> DisableAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await db.Set<User>().Where(u => u.Id == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.IsEnabled, false).SetProperty(u => u.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }
        await sessions.EndAllAsync(userId, except: null, SessionEndedBy.Admin, cancellationToken);
        await cutoffs.RevokeIssuedToUserAsync(userId, cancellationToken);
        return true;
    }
}
