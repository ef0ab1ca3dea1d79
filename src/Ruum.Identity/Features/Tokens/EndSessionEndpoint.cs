using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;
using Ruum.Identity.Features.Login;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// /connect/endsession (RP-initiated logout): ends the session here; OpenIddict redirects to
/// post_logout_redirect_uri only when it is registered for the client, otherwise to our home page.
/// </summary>
internal static class EndSessionEndpoint
{
    public static void MapEndSessionEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods("connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).DisableAntiforgery();

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(SessionSetup.Scheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/logged-out" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
