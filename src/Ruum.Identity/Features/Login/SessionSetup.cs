using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Ruum.Identity.Features.Tokens;
using Ruum.Identity.Features.Users;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ruum.Identity.Features.Login;

public static class SessionSetup
{
    /// <summary>The signed-in browser session at this server.</summary>
    public const string Scheme = "Ruum.Session";

    public static WebApplicationBuilder AddRuumSession(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SessionOptions>().Bind(builder.Configuration.GetSection(SessionOptions.Section)).ValidateOnStart();

        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<FreshSignIns>();
        services.AddAuthentication(Scheme).AddCookie(Scheme);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<SessionOptions>>((cookie, session) =>
        {
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/login";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Cookie.Name = session.Value.CookieName("ruum.session");
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = session.Value.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            // The idle and absolute timeouts are judged from the session's row (Features/Sessions); the ticket's own
            // expiry is only the absolute bound, so the cookie is never rewritten to slide it.
            cookie.ExpireTimeSpan = session.Value.AbsoluteTimeout;
            cookie.SlidingExpiration = false;
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });

        services.AddAntiforgery();
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>().Configure<IOptions<SessionOptions>>((antiforgery, session) =>
        {
            antiforgery.Cookie.Name = session.Value.CookieName("ruum.antiforgery");
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = session.Value.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>
    /// A session ends when the user is disabled or changes credentials; its row (Features/Sessions) already ended it
    /// after the idle or absolute timeout.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var principal = context.Principal!;
        var facts = SignInFacts.ReadFrom(principal);
        var user = await services.GetRequiredService<UserLookup>().FindBySubjectAsync(
            services.GetRequiredService<RuumDbContext>(), principal.GetClaim(Claims.Subject), context.HttpContext.RequestAborted);

        if (facts is null || user is not { IsEnabled: true }
            || !UserPrincipalFactory.HasCurrentSecurityStamp(principal, user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>The session principal: who, how, and the stamp that ties it to the current credentials.</summary>
    public static ClaimsPrincipal CreateSessionPrincipal(User user, SignInFacts facts)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(facts);
        var identity = new ClaimsIdentity(Scheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(UserPrincipalFactory.SecurityStampClaim, user.SecurityStamp);
        facts.WriteToSession(identity);
        return new ClaimsPrincipal(identity);
    }
}
