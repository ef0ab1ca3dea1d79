using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Admin;

/// <summary>
/// The door of the whole admin API. 401 without a valid access token of this server (RFC 6750 §3); 403 for a token
/// without <c>ruum.admin</c>, a platform admin's token without a second factor (<c>mfa</c> in <c>amr</c>, RFC 8176),
/// or a user who administers nothing. Roles are read from the database on every call, not from the token: a removed
/// admin loses access at once. Who passes is the request's <see cref="AdminCaller"/>.
/// </summary>
internal sealed class AdminAccess : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var outcome = await IdentifyAsync(http);
        if (outcome.Error is { } refusal)
        {
            return refusal;
        }
        http.Features.Set(outcome.Caller);
        return await next(context);
    }

    private static async Task<(AdminCaller? Caller, IResult? Error)> IdentifyAsync(HttpContext http)
    {
        var services = http.RequestServices;
        if (BearerToken(http.Request) is not { } token)
        {
            return (null, Unauthorized(http, null, "An access token is required (Authorization: Bearer)."));
        }
        var principal = await services.GetRequiredService<AdminTokens>().ValidateAsync(http, token);
        if (principal is null)
        {
            return (null, Unauthorized(http, Errors.InvalidToken, "The access token is invalid, expired, or not meant for the admin API."));
        }
        var subject = principal.GetClaim(Claims.Subject);
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (await services.GetRequiredService<AccessTokenCutoffs>().IsRevokedAsync(subject, clientId, principal.GetAuthorizationId(),
                principal.GetCreationDate(), http.RequestAborted))
        {
            return (null, Unauthorized(http, Errors.InvalidToken, "The access token has been revoked."));
        }
        if (!principal.HasScope(AdminApi.Scope))
        {
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"{Errors.InsufficientScope}\", scope=\"{AdminApi.Scope}\"";
            return (null, AdminProblems.Forbidden(Errors.InsufficientScope, $"The access token lacks the {AdminApi.Scope} scope."));
        }
        if (!principal.HasAudience(AdminApi.Audience))
        {
            return (null, Unauthorized(http, Errors.InvalidToken, $"The access token is not meant for the admin API (audience {AdminApi.Audience})."));
        }
        if (!Guid.TryParse(subject, out var userId))
        {
            // A client-credentials token (its subject is the client itself): ruum.admin was granted to that client explicitly.
            return subject is not null && string.Equals(subject, clientId, StringComparison.Ordinal)
                ? (new AdminCaller(null, clientId, true, new HashSet<Guid>()), null)
                : (null, Unauthorized(http, Errors.InvalidToken, "The access token names no user and no client."));
        }
        return await UserCallerAsync(http, principal, userId, clientId);
    }

    private static async Task<(AdminCaller? Caller, IResult? Error)> UserCallerAsync(HttpContext http, ClaimsPrincipal principal, Guid userId,
        string? clientId)
    {
        var db = http.RequestServices.GetRequiredService<RuumDbContext>();
        var cancellationToken = http.RequestAborted;
        if (!await db.Set<User>().AnyAsync(u => u.Id == userId && u.IsEnabled, cancellationToken))
        {
            return (null, Unauthorized(http, Errors.InvalidToken, "The user of this access token is disabled or gone."));
        }
        return await ForUserAsync(db, userId, clientId, cancellationToken) switch
        {
            { IsPlatformAdmin: true } caller => SignInFacts.ReadFrom(principal) is { HasSecondFactor: true }
                ? (caller, null)
                : (null, AdminProblems.Forbidden("mfa_required",
                    "A platform admin must sign in with a second factor (mfa in amr) to use the admin API; this token was issued after a password-only sign-in.")),
            { } caller => (caller, null),
            null => (null, AdminProblems.Forbidden("not_an_admin", "Only platform admins and company owners or admins may use the admin API.")),
        };
    }

    /// <summary>
    /// Who a user is as an admin, from the database now: a platform admin, the owner or admin of some companies, or
    /// (null) no admin at all. The admin API (bearer tokens) and the admin console (the browser session) both ask this.
    /// </summary>
    internal static async Task<AdminCaller?> ForUserAsync(RuumDbContext db, Guid userId, string? clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var platformAdmin = await db.Set<PlatformRoleAssignment>()
            .AnyAsync(a => a.UserId == userId && db.Set<Role>().Any(r => r.Id == a.RoleId && r.Scope == RoleScope.Platform
                && r.Name == RoleCatalogue.PlatformAdmin), cancellationToken);
        if (platformAdmin)
        {
            return new AdminCaller(userId, clientId, true, new HashSet<Guid>());
        }
        var companies = await db.Set<CompanyMembership>()
            .Where(m => m.UserId == userId && db.Set<Role>().Any(r => r.Id == m.RoleId && r.Scope == RoleScope.Company
                && (r.Name == RoleCatalogue.CompanyOwner || r.Name == RoleCatalogue.CompanyAdmin)))
            .Select(m => m.CompanyId).ToListAsync(cancellationToken);
        return companies.Count > 0 ? new AdminCaller(userId, clientId, false, companies.ToHashSet()) : null;
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = value["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unauthorized(HttpContext http, string? error, string detail)
    {
        http.Response.Headers.WWWAuthenticate = error is null ? "Bearer" : $"Bearer error=\"{error}\"";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", detail: detail);
    }
}

/// <summary>For areas only platform admins (and automation clients) manage: clients, scopes, the role catalogue.</summary>
internal sealed class RequirePlatformAdmin : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return AdminCaller.Of(context.HttpContext).IsPlatformAdmin
            ? await next(context)
            : AdminProblems.Forbidden("platform_admin_required", "Only platform admins manage this.");
    }
}
