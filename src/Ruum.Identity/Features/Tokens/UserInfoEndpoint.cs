using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Features.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// /connect/userinfo (OIDC Core §5.3): the access token's claims that its scopes release (<see cref="ScopeClaims"/>),
/// with the values and shapes the token has. A token without <c>openid</c> never gets here
/// (<see cref="RejectUserInfoWithoutOpenIdScope"/>).
/// </summary>
internal static class UserInfoEndpoint
{
    // Arrays in the token contract even with one value; a JWT's one-element array reads back as a plain string.
    private static readonly string[] ArrayClaims = [Claims.Role, TenancyClaimTypes.Permissions];

    public static void MapUserInfoEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods("connect/userinfo", [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoAsync).DisableAntiforgery();

    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
        var claims = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [Claims.Subject] = principal.GetClaim(Claims.Subject),
        };
        foreach (var (scope, types) in ScopeClaims.ByScope)
        {
            if (!principal.HasScope(scope))
            {
                continue;
            }
            foreach (var type in types)
            {
                if (ValueOf(principal, type) is { } value)
                {
                    claims[type] = value;
                }
            }
        }
        return Results.Ok(claims);
    }

    private static object? ValueOf(ClaimsPrincipal principal, string type)
    {
        var values = principal.FindAll(type).ToList();
        if (values.Count == 0)
        {
            return null;
        }
        if (ArrayClaims.Contains(type, StringComparer.Ordinal))
        {
            return values.Select(claim => claim.Value).ToArray();
        }
        var first = values[0];
        return first.ValueType switch
        {
            JsonClaimValueTypes.Json => JsonSerializer.Deserialize<JsonElement>(first.Value),
            // email_verified is a JSON boolean, as in the tokens (OIDC Core §5.1).
            ClaimValueTypes.Boolean => bool.Parse(first.Value),
            _ => first.Value,
        };
    }
}
