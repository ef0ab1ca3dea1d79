using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Ruum.Identity.Features.Login;

/// <param name="Id">Random; copied into the session the sign-in creates.</param>
/// <param name="SecondFactor">The sign-in must run the second factor, even on a trusted device.</param>
public sealed record FreshSignIn(string Id, bool SecondFactor);

/// <summary>
/// A sign-in that one authorization request asked for (no session, <c>prompt=login</c>, an exceeded <c>max_age</c>,
/// <c>acr_values</c>). The authorization endpoint puts a Data-Protected marker in the URL the login page returns to;
/// the login flow copies its random id into the new session; back at the endpoint, a session holding that id was signed
/// in for this very request, which meets <c>prompt=login</c> and any <c>max_age</c>, 0 included (OIDC Core §3.1.2.1),
/// where <c>auth_time</c> in whole seconds cannot tell. Another site's link cannot skip a sign-in with it: no session
/// holds the id of a marker in a link, and the id leaves the session when a code is issued.
/// </summary>
public sealed class FreshSignIns(IDataProtectionProvider protection)
{
    /// <summary>The authorization request parameter carrying the marker.</summary>
    public const string Parameter = "ruum_sign_in";

    /// <summary>The session claim holding the id of the marker the sign-in was done for.</summary>
    public const string SessionClaim = "ruum_sign_in";

    private const string SecondFactorSuffix = ".mfa";

    private readonly IDataProtector _protector = protection.CreateProtector("Ruum.Login.FreshSignIn");

    public string CreateMarker(bool secondFactor) =>
        _protector.Protect(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)) + (secondFactor ? SecondFactorSuffix : "."));

    /// <returns>The sign-in a marker asks for, or null (none, tampered, or from another key ring).</returns>
    public FreshSignIn? Read(string? marker)
    {
        if (marker is not { Length: > 0 and <= 1000 })
        {
            return null;
        }
        string plain;
        try
        {
            plain = _protector.Unprotect(marker);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var dot = plain.IndexOf('.', StringComparison.Ordinal);
        return dot < 1 ? null : new FreshSignIn(plain[..dot], plain.EndsWith(SecondFactorSuffix, StringComparison.Ordinal));
    }

    /// <summary>The sign-in asked for by the authorization request a login return URL leads back to.</summary>
    public FreshSignIn? ReadFromReturnUrl(string? returnUrl)
    {
        var query = returnUrl is { Length: <= 8000 } ? returnUrl.IndexOf('?', StringComparison.Ordinal) : -1;
        if (query < 0)
        {
            return null;
        }
        return QueryHelpers.ParseQuery(returnUrl![query..]).TryGetValue(Parameter, out var marker) && marker.Count == 1
            ? Read(marker.ToString())
            : null;
    }

    /// <summary>Records in a new session principal which sign-in it completes.</summary>
    public static void WriteTo(ClaimsPrincipal session, FreshSignIn? signIn)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (signIn is not null && session.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(SessionClaim, signIn.Id));
        }
    }

    /// <summary>Whether the session was signed in for the request carrying this marker, with a second factor when it asked for one.</summary>
    public bool WasSignedInFor(string? marker, ClaimsPrincipal session, SignInFacts facts)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(facts);
        var asked = Read(marker);
        var done = session.FindFirst(SessionClaim)?.Value;
        return asked is not null && done is not null && string.Equals(asked.Id, done, StringComparison.Ordinal)
            && (!asked.SecondFactor || facts.HasSecondFactor);
    }

    /// <summary>Once a code is issued, the session forgets the marker: the same URL again asks for a new sign-in.</summary>
    public static async Task ForgetAsync(HttpContext context, AuthenticateResult session)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        if (session.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(SessionClaim) is { } claim)
        {
            identity.RemoveClaim(claim);
            await context.SignInAsync(SessionSetup.Scheme, session.Principal, session.Properties);
        }
    }
}
