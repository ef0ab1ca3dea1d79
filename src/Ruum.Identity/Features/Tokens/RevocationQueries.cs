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

    /// <summary>
    /// A user's token in one round trip: a row per cutoff of its subject and client (one row without a cutoff), each
    /// saying whether the authorization is still valid; no row when the authorization is gone.
    /// </summary>
    public Func<RuumDbContext, string, string?, string?, IAsyncEnumerable<AuthorizationRevocation>> UnderAuthorization { get; } =
        EF.CompileAsyncQuery((RuumDbContext db, string authorizationId, string? subject, string? clientId) =>
            from authorization in db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
            where authorization.Id == authorizationId
            from cutoff in db.Set<AccessTokenCutoff>().AsNoTracking()
                .Where(c => (c.Kind == CutoffKind.User && c.Key == subject) || (c.Kind == CutoffKind.Client && c.Key == clientId))
                .DefaultIfEmpty()
            select new AuthorizationRevocation(authorization.Status == Statuses.Valid, cutoff == null ? null : cutoff.NotBefore));
}

/// <summary>Whether a token's authorization is still valid, with one of its subject's or client's cutoffs (if any).</summary>
public sealed record AuthorizationRevocation(bool AuthorizationValid, DateTimeOffset? NotBefore);
