using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Login;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Audit;

/// <summary>
/// Records sign-out however it happens (our page or RP-initiated /connect/endsession): a hook on the session
/// cookie rather than a call in each place that signs out.
/// </summary>
internal static class SignOutAudit
{
    public static IServiceCollection AddSignOutAudit(this IServiceCollection services) =>
        services.PostConfigure<CookieAuthenticationOptions>(SessionSetup.Scheme, cookie =>
        {
            var next = cookie.Events.OnSigningOut;
            cookie.Events.OnSigningOut = async context =>
            {
                // Only a signed-in user's own sign-out; a session ended while being validated has no user yet.
                if (Guid.TryParse(context.HttpContext.User.GetClaim(Claims.Subject), out var userId))
                {
                    await context.HttpContext.RequestServices.GetRequiredService<AuditLog>()
                        .RecordAsync(AuditEventTypes.SignedOut, AuditOutcomes.Success, userId, cancellationToken: context.HttpContext.RequestAborted);
                }
                await next(context);
            };
        });
}
