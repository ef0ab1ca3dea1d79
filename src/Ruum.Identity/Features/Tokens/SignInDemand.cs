using OpenIddict.Abstractions;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Otp;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// What an authorization request asks of the sign-in behind it (OIDC Core §3.1.2.1): <c>prompt=login</c> and an exceeded
/// <c>max_age</c> ask for a new sign-in, and so does <c>acr_values=urn:ruum:acr:mfa</c> when the session had no second
/// factor; each of these makes the second factor run even on a trusted device. An unknown <c>acr_values</c> value is
/// ignored (a voluntary claim, OIDC Core §5.5.1.1).
/// </summary>
/// <param name="NewSignIn">The session (if any) does not do: the user signs in again.</param>
/// <param name="SecondFactor">That new sign-in must include the second factor.</param>
internal readonly record struct SignInDemand(bool NewSignIn, bool SecondFactor)
{
    /// <param name="forThisRequest">The session was signed in for this very request (see <see cref="FreshSignIns"/>).</param>
    public static SignInDemand Of(OpenIddictRequest request, SignInFacts? session, bool forThisRequest, DateTimeOffset now)
    {
        var wantsSecondFactor = WantsSecondFactor(request);
        var reauthenticate = request.HasPromptValue(PromptValues.Login)
            || (session is not null && request.MaxAge is { } maxAge && now - session.AuthTime > TimeSpan.FromSeconds(maxAge));
        if (session is null)
        {
            return new(true, wantsSecondFactor || request.HasPromptValue(PromptValues.Login));
        }
        if (forThisRequest)
        {
            return new(wantsSecondFactor && !session.HasSecondFactor, true);
        }
        return new(reauthenticate || (wantsSecondFactor && !session.HasSecondFactor), reauthenticate || wantsSecondFactor);
    }

    public static bool WantsSecondFactor(OpenIddictRequest request) => request.HasAcrValue(SecondFactorFacts.MultiFactorContext);

    /// <summary>The facts the tokens carry: <c>acr</c> names the class asked for when the sign-in met it.</summary>
    public static SignInFacts Issued(OpenIddictRequest request, SignInFacts session) =>
        WantsSecondFactor(request) && session.HasSecondFactor ? session with { ContextClass = SecondFactorFacts.MultiFactorContext } : session;
}
