using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>The one place that decides which claims a user's tokens carry and where each one goes.</summary>
public sealed class UserPrincipalFactory(IOpenIddictScopeManager scopes, TenancyClaims tenancy)
{
    /// <summary>Private claim: lets the token endpoint refuse codes and refresh tokens issued before a credential change.</summary>
    public const string SecurityStampClaim = "ruum_security_stamp";

    /// <param name="companyId">
    /// The active company, chosen at authorization; its <c>company_id</c> claim stays in the code and refresh token
    /// principals so a refresh keeps the company. Roles are read fresh each time: a removed membership disappears.
    /// </param>
    public async Task<ClaimsPrincipal> CreateAsync(User user, SignInFacts facts, ImmutableArray<string> grantedScopes, Guid? companyId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(facts);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailVerified)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(SecurityStampClaim, user.SecurityStamp);
        facts.WriteTo(identity);
        AddTenancy(identity, await tenancy.LoadAsync(user.Id, companyId, cancellationToken));

        identity.SetScopes(grantedScopes);
        identity.SetResources(await scopes.ListResourcesAsync(grantedScopes, cancellationToken).ToListAsync(cancellationToken));
        identity.SetDestinations(claim => GetDestinations(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The active company a code or refresh token was issued for, if any.</summary>
    public static Guid? ActiveCompanyOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetClaim(TenancyClaimTypes.CompanyId), out var id) ? id : null;

    private static void AddTenancy(ClaimsIdentity identity, TenancySnapshot snapshot)
    {
        if (snapshot.PlatformRoles.Count > 0)
        {
            SetJsonArray(identity, Claims.Role, snapshot.PlatformRoles);
        }
        if (snapshot.Company is { } company)
        {
            identity.SetClaim(TenancyClaimTypes.CompanyId, company.Id.ToString())
                .SetClaim(TenancyClaimTypes.CompanyRole, company.Role)
                .SetClaim(TenancyClaimTypes.ProjectRoles, JsonSerializer.SerializeToElement(company.ProjectRoles));
        }
        SetJsonArray(identity, TenancyClaimTypes.Permissions, snapshot.Permissions);
    }

    // Always a JSON array, even with one value, so APIs never special-case a lone string (as amr, see SignInFacts).
    private static void SetJsonArray(ClaimsIdentity identity, string type, IEnumerable<string> values)
    {
        identity.RemoveClaims(type);
        identity.AddClaim(new Claim(type, JsonSerializer.Serialize(values), JsonClaimValueTypes.JsonArray));
    }

    public static bool HasCurrentSecurityStamp(ClaimsPrincipal principal, User user) =>
        string.Equals(principal.GetClaim(SecurityStampClaim), user.SecurityStamp, StringComparison.Ordinal);

    // A claim without a destination still rides in the authorization code and refresh token (OpenIddict copies the
    // whole principal into them): that is how the security stamp is checked, and how company_id keeps the active
    // company across refreshes even when ruum.api does not release it to the tokens.
    private static IEnumerable<string> GetDestinations(Claim claim, ClaimsIdentity identity) => claim.Type switch
    {
        SecurityStampClaim or SessionClaims.SessionId => [],
        _ when ScopeClaims.ScopeOf(claim.Type) is { } scope => identity.HasScope(scope)
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [],
        Claims.AuthenticationTime or Claims.AuthenticationMethodReference or Claims.AuthenticationContextReference
            => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [Destinations.AccessToken],
    };
}
