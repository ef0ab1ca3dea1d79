using System.Collections.Frozen;
using Ruum.Identity.Features.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Which user claims each scope releases (OIDC Core §5.4): the one table the tokens, userinfo and the consent page
/// read. A claim named here reaches a token or userinfo only when its scope was granted; <c>sub</c> and the sign-in
/// facts (<c>auth_time</c>, <c>amr</c>, <c>acr</c>) are not released by a scope and go to every token.
/// </summary>
internal static class ScopeClaims
{
    public static FrozenDictionary<string, string[]> ByScope { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Scopes.Profile] = [Claims.Name],
        // email_verified is true only when the address was proven (User.EmailVerified), false otherwise (OIDC Core §5.1).
        [Scopes.Email] = [Claims.Email, Claims.EmailVerified],
        [RuumScopes.Api] = [TenancyClaimTypes.CompanyId, TenancyClaimTypes.CompanyRole, TenancyClaimTypes.ProjectRoles, Claims.Role],
        [RuumScopes.Permissions] = [TenancyClaimTypes.Permissions],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ScopeOfClaim = ByScope
        .SelectMany(entry => entry.Value.Select(claim => KeyValuePair.Create(claim, entry.Key)))
        .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The claims <paramref name="scope"/> releases; none for a scope that releases no claim.</summary>
    public static IReadOnlyList<string> ReleasedBy(string scope) => ByScope.GetValueOrDefault(scope) ?? [];

    /// <summary>The scope that releases this claim type; null for <c>sub</c>, the sign-in facts and private claims.</summary>
    public static string? ScopeOf(string claimType) => ScopeOfClaim.GetValueOrDefault(claimType);
}
