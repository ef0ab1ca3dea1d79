using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>The one place that decides which claims a user's tokens carry and where each one goes.</summary>
public sealed class UserPrincipalFactory(IOpenIddictScopeManager scopes)
{
    /// <summary>Private claim: lets the token endpoint refuse codes and refresh tokens issued before a credential change.</summary>
    public const string SecurityStampClaim = "ruum_security_stamp";

    public async Task<ClaimsPrincipal> CreateAsync(User user, SignInFacts facts, ImmutableArray<string> grantedScopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(facts);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(SecurityStampClaim, user.SecurityStamp);
        facts.WriteTo(identity);

        identity.SetScopes(grantedScopes);
        identity.SetResources(await scopes.ListResourcesAsync(grantedScopes, cancellationToken).ToListAsync(cancellationToken));
        identity.SetDestinations(claim => GetDestinations(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    public static bool HasCurrentSecurityStamp(ClaimsPrincipal principal, User user) =>
        string.Equals(principal.GetClaim(SecurityStampClaim), user.SecurityStamp, StringComparison.Ordinal);

    private static IEnumerable<string> GetDestinations(Claim claim, ClaimsIdentity identity) => claim.Type switch
    {
        SecurityStampClaim => [],
        Claims.Name when identity.HasScope(Scopes.Profile) => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Email when identity.HasScope(Scopes.Email) => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.AuthenticationTime or Claims.AuthenticationMethodReference or Claims.AuthenticationContextReference
            => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [Destinations.AccessToken],
    };
}
