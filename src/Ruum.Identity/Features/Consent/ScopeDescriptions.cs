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

    /// <summary>The sentence for <paramref name="scope"/>, its parts translated by <paramref name="text"/> (the consent view's localizer).</summary>
    public static string Describe(string scope, Microsoft.AspNetCore.Mvc.Localization.IHtmlLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var claims = ScopeClaims.ReleasedBy(scope).Select(claim => ClaimNames.TryGetValue(claim, out var name) ? text.GetString(name).Value : claim).ToList();
        var action = Actions.TryGetValue(scope, out var found) ? text.GetString(found).Value : null;
        if (claims.Count == 0)
        {
            return action ?? scope;
        }
        var list = claims.Count == 1 ? claims[0] : text.GetString("{0} and {1}", string.Join(", ", claims[..^1]), claims[^1]).Value;
        return action is null ? text.GetString("See {0}", list) : text.GetString("{0}, and see {1}", action, list);
    }
}
