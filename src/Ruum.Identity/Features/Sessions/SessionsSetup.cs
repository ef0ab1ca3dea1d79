using Microsoft.AspNetCore.Authentication.Cookies;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Login;

namespace Ruum.Identity.Features.Sessions;

public static class SessionsSetup
{
    /// <summary>Server-side browser sessions behind the session cookie (<see cref="BrowserSessionStore"/>).</summary>
    public static WebApplicationBuilder AddRuumSessions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<BrowserSessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(SessionSetup.Scheme)
            .Configure<BrowserSessionStore>((cookie, store) => cookie.SessionStore = store);
        services.AddScoped<BrowserSessions>();
        services.AddScoped<SignOutEverywhere>();
        services.AddScoped<AuthorizedApps>();
        services.AddScoped<IRetentionSweep, BrowserSessionSweep>();
        return builder;
    }
}
