using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Features.Login;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// /connect/endsession (RP-initiated logout). Any site can send a browser here, so the session ends at once only for an
/// <c>id_token_hint</c> that OpenIddict validated and that names the signed-in user (ASVS V10.6.2); otherwise the user
/// confirms on the sign-out page, which then comes back here. OpenIddict redirects to post_logout_redirect_uri only when
/// it is registered for the client (or, without client_id, for the hint's client), otherwise to our signed-out page.
/// </summary>
internal static class EndSessionEndpoint
{
    public const string Path = "/connect/endsession";
    private const string LoggedOutPath = "/account/logged-out";

    public static void MapEndSessionEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods("connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).DisableAntiforgery();

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        var session = await context.AuthenticateAsync(SessionSetup.Scheme);
        if (session.Succeeded)
        {
            // The hint's principal, or none when it is missing or invalid (OpenIddict treats it as optional).
            var hint = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var hinted = hint.Principal?.GetClaim(Claims.Subject);
            if (hinted is null || !string.Equals(hinted, session.Principal.GetClaim(Claims.Subject), StringComparison.Ordinal))
            {
                var returnUrl = context.Request.PathBase + Path + QueryString.Create(AuthorizationEndpoint.ParametersOf(context.Request));
                return Results.Redirect(LogoutModel.Path + "?returnUrl=" + Uri.EscapeDataString(returnUrl));
            }
            // The client that asked (the hint's audience) loses the refresh tokens it got in this session (ASVS V7.4.1).
            if (SessionClaims.SessionIdOf(session.Principal) is { } sessionId)
            {
                var sessions = context.RequestServices.GetRequiredService<BrowserSessions>();
                foreach (var clientId in hint.Principal!.GetAudiences())
                {
                    await sessions.RevokeRefreshTokensAsync(session.Principal.UserId(), sessionId, clientId, context.RequestAborted);
                }
            }
            await context.SignOutAsync(SessionSetup.Scheme);
        }
        return Results.SignOut(new AuthenticationProperties { RedirectUri = LoggedOutPath }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
