using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Features.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Consent;

/// <summary>
/// What the consent page says a scope allows: what the application may do with it, then each claim the scope releases
/// (read from <see cref="ScopeClaims"/>, so the page cannot drift from what the tokens carry).
/// </summary>
public static class ScopeDescriptions
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        [Scopes.OpenId] = "Know who you are: your Ruum account id, and when and how you signed in",
        [Scopes.OfflineAccess] = "Stay connected when you are not using it",
        [RuumScopes.Api] = "Use Ruum on your behalf",
    };

    private static readonly Dictionary<string, string> ClaimNames = new(StringComparer.Ordinal)
    {
        [Claims.Name] = "your name",
        [Claims.Email] = "your email address",
        [Claims.EmailVerified] = "whether it was verified",
        [TenancyClaimTypes.CompanyId] = "your active company",
        [TenancyClaimTypes.CompanyRole] = "your role in it",
        [TenancyClaimTypes.ProjectRoles] = "your project roles",
        [Claims.Role] = "your Ruum staff roles",
        [TenancyClaimTypes.Permissions] = "your permissions in Ruum",
    };

    public static string Describe(string scope)
    {
        var claims = ScopeClaims.ReleasedBy(scope).Select(claim => ClaimNames.GetValueOrDefault(claim, claim)).ToList();
        var action = Actions.GetValueOrDefault(scope);
        if (claims.Count == 0)
        {
            return action ?? scope;
        }
        var see = "see " + InWords(claims);
        return action is null ? char.ToUpperInvariant(see[0]) + see[1..] : $"{action}, and {see}";
    }

    private static string InWords(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items[..^1]) + " and " + items[^1];
}
