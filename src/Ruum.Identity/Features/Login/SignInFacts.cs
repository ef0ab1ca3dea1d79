using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Login;

/// <summary>How and when the user proved who they are: <c>auth_time</c>, <c>amr</c> (RFC 8176) and <c>acr</c>.</summary>
/// <param name="SecondFactorAt">When the session last passed the password and a second factor (sign-in or re-authentication).</param>
/// <param name="SessionEndsAt">When the session must end at the latest, earlier than the server's absolute timeout (a company policy).</param>
public sealed record SignInFacts(DateTimeOffset AuthTime, IReadOnlyList<string> Methods, string? ContextClass = null,
    DateTimeOffset? SecondFactorAt = null, DateTimeOffset? SessionEndsAt = null)
{
    /// <summary>Session only (never in a token): <see cref="SessionEndsAt"/>, judged by the session store on every request.</summary>
    public const string SessionEndsAtClaim = "ruum_session_ends";

    /// <summary>Session only (never in a token): the time <see cref="SecondFactorAt"/>, for the re-authentication window.</summary>
    public const string SecondFactorTimeClaim = "ruum_mfa_time";

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

    /// <summary>The session's claims: those of the tokens, and when the second factor was last passed.</summary>
    public void WriteToSession(ClaimsIdentity identity)
    {
        WriteTo(identity);
        if (SecondFactorAt is { } at)
        {
            identity.SetClaim(SecondFactorTimeClaim, at.ToUnixTimeSeconds());
        }
        if (SessionEndsAt is { } end)
        {
            identity.SetClaim(SessionEndsAtClaim, end.ToUnixTimeSeconds());
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
        DateTimeOffset? secondFactorAt = long.TryParse(principal.GetClaim(SecondFactorTimeClaim), out var mfa) ? DateTimeOffset.FromUnixTimeSeconds(mfa) : null;
        DateTimeOffset? endsAt = long.TryParse(principal.GetClaim(SessionEndsAtClaim), out var end) ? DateTimeOffset.FromUnixTimeSeconds(end) : null;
        return new(DateTimeOffset.FromUnixTimeSeconds(seconds), methods, principal.GetClaim(Claims.AuthenticationContextReference), secondFactorAt,
            endsAt);
    }
}
