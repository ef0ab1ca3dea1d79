using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// What introspection and userinfo ask the database about every access token, compiled once as they run on each of
/// those requests. A singleton rather than statics: see <see cref="Users.UserLookup"/>.
/// </summary>
public sealed class RevocationQueries
{
    /// <summary>The cutoffs of a token's subject and client (none, one or two).</summary>
    public Func<RuumDbContext, string?, string?, IAsyncEnumerable<DateTimeOffset>> CutoffsOf { get; } = EF.CompileAsyncQuery(
        (RuumDbContext db, string? subject, string? clientId) => db.Set<AccessTokenCutoff>().AsNoTracking()
            .Where(c => (c.Kind == CutoffKind.User && c.Key == subject) || (c.Kind == CutoffKind.Client && c.Key == clientId))
            .Select(c => c.NotBefore));

    /// <summary>Whether the authorization exists and is still valid (not revoked): one row read, no entity loaded.</summary>
    public Func<RuumDbContext, string, CancellationToken, Task<bool>> IsAuthorizationValid { get; } = EF.CompileAsyncQuery(
        (RuumDbContext db, string id, CancellationToken _) =>
            db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Any(a => a.Id == id && a.Status == Statuses.Valid));
}
