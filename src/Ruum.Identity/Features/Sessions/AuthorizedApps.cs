using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Sessions;

/// <param name="Scopes">What the user granted (from the authorizations).</param>
/// <param name="LiveRefreshTokens">Valid, unexpired refresh tokens: how many places hold access right now.</param>
public sealed record AuthorizedApp(string ClientId, string DisplayName, IReadOnlyList<string> Scopes, int LiveRefreshTokens);

/// <summary>The applications a user has authorized (valid authorizations or live refresh tokens), and revoking one.</summary>
public sealed class AuthorizedApps(
    RuumDbContext db,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<IReadOnlyList<AuthorizedApp>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var subject = userId.ToString();
        var now = time.GetUtcNow().UtcDateTime;
        var granted = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
            .Where(a => a.Subject == subject && a.Status == Statuses.Valid && a.Application != null)
            .Select(a => new { a.Application!.ClientId, a.Application.DisplayName, a.Scopes })
            .ToListAsync(cancellationToken);
        var live = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(t => t.Subject == subject && t.Type == TokenTypeIdentifiers.RefreshToken && t.Status == Statuses.Valid
                && t.ExpirationDate > now && t.Application != null)
            .Select(t => new { t.Application!.ClientId, t.Application.DisplayName })
            .ToListAsync(cancellationToken);
        return [.. granted.Select(a => (a.ClientId, a.DisplayName)).Concat(live.Select(t => (t.ClientId, t.DisplayName)))
            .Where(a => a.ClientId is not null)
            .DistinctBy(a => a.ClientId)
            .Select(a => new AuthorizedApp(a.ClientId!, a.DisplayName ?? a.ClientId!,
                [.. granted.Where(g => g.ClientId == a.ClientId).SelectMany(g => ScopesOf(g.Scopes)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                live.Count(t => t.ClientId == a.ClientId)))
            .OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Revokes every authorization and token the user holds for one client. False when it names no client of theirs.</summary>
    public async Task<bool> RevokeAsync(Guid userId, string clientId, CancellationToken cancellationToken)
    {
        if (clientId is not { Length: > 0 and <= 100 } || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return false;
        }
        var subject = userId.ToString();
        var applicationId = await applications.GetIdAsync(application, cancellationToken);
        var revokedAuthorizations = await authorizations.RevokeAsync(subject, applicationId, status: null, type: null, cancellationToken);
        var revokedTokens = await tokens.RevokeAsync(subject, applicationId, status: null, type: null, cancellationToken);
        if (revokedAuthorizations + revokedTokens == 0)
        {
            return false;
        }
        await audit.RecordAsync(AuditEventTypes.ConsentRevoked, AuditOutcomes.Success, userId,
            new { authorizations = revokedAuthorizations, tokens = revokedTokens }, clientId, cancellationToken);
        return true;
    }

    private static string[] ScopesOf(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}
