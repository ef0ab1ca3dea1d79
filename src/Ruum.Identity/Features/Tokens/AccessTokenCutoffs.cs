using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tokens;

/// <summary>Revokes every access token already issued to a user or a client, as introspection sees them.</summary>
public sealed class AccessTokenCutoffs(RuumDbContext db, TimeProvider time, RevocationQueries queries)
{
    public Task RevokeIssuedToUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        MoveAsync(CutoffKind.User, userId.ToString(), cancellationToken);

    public Task RevokeIssuedToClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        MoveAsync(CutoffKind.Client, clientId, cancellationToken);

    /// <summary>The later of the subject's and the client's cutoff, or null when neither has one.</summary>
    public async Task<DateTimeOffset?> NotBeforeAsync(string? subject, string? clientId, CancellationToken cancellationToken)
    {
        if (subject is null && clientId is null)
        {
            return null;
        }
        // The latest is picked here: SQLite cannot order or aggregate DateTimeOffset values.
        var cutoffs = await queries.CutoffsOf(db, subject, clientId).ToListAsync(cancellationToken);
        return cutoffs.Count == 0 ? null : cutoffs.Max();
    }

    private async Task MoveAsync(CutoffKind kind, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = await db.Set<AccessTokenCutoff>().SingleOrDefaultAsync(c => c.Kind == kind && c.Key == key, cancellationToken);
        if (cutoff is null)
        {
            db.Add(new AccessTokenCutoff { Kind = kind, Key = key, NotBefore = now });
        }
        else if (cutoff.NotBefore < now)
        {
            cutoff.NotBefore = now;
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
