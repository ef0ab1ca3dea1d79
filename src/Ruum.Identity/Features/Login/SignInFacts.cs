using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Login;

/// <summary>How and when the user proved who they are: <c>auth_time</c>, <c>amr</c> (RFC 8176) and <c>acr</c>.</summary>
public sealed record SignInFacts(DateTimeOffset AuthTime, IReadOnlyList<string> Methods, string? ContextClass = null)
{
    public const string PasswordMethod = "pwd";

    /// <summary>RFC 8176 §2: more than one factor was used.</summary>
    public const string MultiFactorMethod = "mfa";

    public bool HasSecondFactor => Methods.Contains(MultiFactorMethod);

    public void WriteTo(ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        identity.SetClaim(Claims.AuthenticationTime, AuthTime.ToUnixTimeSeconds());
        // Always a JSON array, even with one method (RFC 8176 §1).
        identity.RemoveClaims(Claims.AuthenticationMethodReference);
        identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, JsonSerializer.Serialize(Methods), JsonClaimValueTypes.JsonArray));
        if (ContextClass is not null)
        {
            identity.SetClaim(Claims.AuthenticationContextReference, ContextClass);
        }
    }

    public static SignInFacts? ReadFrom(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var authTime = principal.GetClaim(Claims.AuthenticationTime);
        if (!long.TryParse(authTime, out var seconds))
        {
            return null;
        }
        var methods = principal.FindAll(Claims.AuthenticationMethodReference)
            .SelectMany(c => c.ValueType == JsonClaimValueTypes.JsonArray ? JsonSerializer.Deserialize<string[]>(c.Value) ?? [] : [c.Value])
            .ToArray();
        return new(DateTimeOffset.FromUnixTimeSeconds(seconds), methods, principal.GetClaim(Claims.AuthenticationContextReference));
    }
}
