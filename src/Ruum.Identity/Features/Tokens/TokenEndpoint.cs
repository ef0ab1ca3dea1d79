using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// /connect/token after OpenIddict has authenticated the client and validated the grant
/// (code + PKCE verifier, refresh token rotation and reuse detection).
/// </summary>
internal static class TokenEndpoint
{
    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("connect/token", ExchangeAsync).DisableAntiforgery();

    private static async Task<IResult> ExchangeAsync(
        HttpContext context,
        RuumDbContext db,
        IOpenIddictApplicationManager applications,
        IOpenIddictScopeManager scopeManager,
        UserLookup users,
        UserPrincipalFactory principals,
        IOptions<TokenOptions> tokenOptions,
        TimeProvider time,
        AuditLog audit)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var cancellationToken = context.RequestAborted;

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
                ?? throw new InvalidOperationException("The client application cannot be found.");
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId)
                .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, cancellationToken));
            identity.SetScopes(request.GetScopes());
            identity.SetResources(await scopeManager.ListResourcesAsync(identity.GetScopes(), cancellationToken).ToListAsync(cancellationToken));
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var granted = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
            var facts = SignInFacts.ReadFrom(granted);
            var user = await users.FindBySubjectAsync(db, granted.GetClaim(Claims.Subject), cancellationToken);
            // Claims are read fresh: a disabled user or a changed password ends every refresh token issued before.
            if (facts is null || user is not { IsEnabled: true } || !UserPrincipalFactory.HasCurrentSecurityStamp(granted, user))
            {
                var reason = user is null ? "unknown_user" : !user.IsEnabled ? "user_disabled" : facts is null ? "unreadable_grant" : "credentials_changed";
                await audit.RecordAsync(AuditEventTypes.TokenRefused, AuditOutcomes.Failure, user?.Id,
                    new { reason, grant_type = request.GrantType }, request.ClientId, cancellationToken);
                return AuthorizationEndpoint.Refuse(Errors.InvalidGrant, "The token is no longer valid.");
            }
            var principal = await principals.CreateAsync(user, facts, granted.GetScopes(), UserPrincipalFactory.ActiveCompanyOf(granted), cancellationToken);
            principal.SetAuthorizationId(granted.GetAuthorizationId());
            // The browser session the grant was issued in rides along, so each rotated refresh token stays findable by it.
            principal.SetClaim(SessionClaims.SessionId, granted.GetClaim(SessionClaims.SessionId));
            if (request.IsAuthorizationCodeGrantType())
            {
                // The family ends RefreshTokenLifetime after the sign-in, not after this exchange: a code issued
                // silently from a day-old session must not stretch it (ASVS V10.4.8). Refreshes keep this expiry.
                var remaining = facts.AuthTime + tokenOptions.Value.RefreshTokenLifetime - time.GetUtcNow();
                principal.SetRefreshTokenLifetime(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1));
            }
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return AuthorizationEndpoint.Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }
}
