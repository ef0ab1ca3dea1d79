using Microsoft.IdentityModel.JsonWebTokens;
using System.Security.Claims;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Login;

/// <summary>How and when the user proved who they are: <c>auth_time</c>, <c>amr</c> (RFC 8176) and <c>acr</c>.</summary>
public sealed record SignInFacts(DateTimeOffset AuthTime, IReadOnlyList<string> Methods, string? ContextClass = null)
{
    public const string PasswordMethod = "pwd";

    public void WriteTo(ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        identity.SetClaim(Claims.AuthenticationTime, AuthTime.ToUnixTimeSeconds());
        // Always a JSON array, even with one method (RFC 8176 §1). OpenIddict's SetClaim(JsonNode) refuses arrays;
        // a single claim of value type JSON_ARRAY is the form it accepts and serializes as an array.
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
        // One JSON_ARRAY claim as written above, or one claim per method once a token has been read back.
        var methods = principal.FindAll(Claims.AuthenticationMethodReference)
            .SelectMany(claim => claim.ValueType == JsonClaimValueTypes.JsonArray
                ? JsonSerializer.Deserialize<string[]>(claim.Value) ?? []
                : [claim.Value])
            .ToArray();
        return new(DateTimeOffset.FromUnixTimeSeconds(seconds), methods, principal.GetClaim(Claims.AuthenticationContextReference));
    }
}
