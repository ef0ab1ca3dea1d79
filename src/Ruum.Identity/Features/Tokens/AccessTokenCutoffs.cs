using Microsoft.EntityFrameworkCore;
using Ruum.Identity.Infrastructure.Database;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Revokes every access token already issued to a user or a client, as introspection sees them, and tells whether one
/// was revoked.
/// </summary>
public sealed class AccessTokenCutoffs(RuumDbContext db, TimeProvider time, RevocationQueries queries)
{
    public Task RevokeIssuedToUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        MoveAsync(CutoffKind.User, userId.ToString(), cancellationToken);

    public Task RevokeIssuedToClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        MoveAsync(CutoffKind.Client, clientId, cancellationToken);

    /// <summary>
    /// Whether an access token was revoked: issued before its subject's or client's cutoff (or with no issue time),
    /// or under an authorization that is no longer valid. One round trip either way.
    /// </summary>
    public async Task<bool> IsRevokedAsync(string? subject, string? clientId, string? authorizationId, DateTimeOffset? issuedAt,
        CancellationToken cancellationToken)
    {
        // The latest cutoff is picked here: SQLite cannot order or aggregate DateTimeOffset values.
        DateTimeOffset? notBefore;
        if (authorizationId is { Length: > 0 })
        {
            var rows = await queries.UnderAuthorization(db, authorizationId, subject, clientId).ToListAsync(cancellationToken);
            if (rows.Count == 0 || !rows[0].AuthorizationValid)
            {
                return true;
            }
            notBefore = rows.Max(r => r.NotBefore);
        }
        else if (subject is null && clientId is null)
        {
            return false;
        }
        else
        {
            var cutoffs = await queries.CutoffsOf(db, subject, clientId).ToListAsync(cancellationToken);
            notBefore = cutoffs.Count == 0 ? null : cutoffs.Max();
        }
        return notBefore is { } cutoff && (issuedAt is not { } issued || issued < cutoff);
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
