using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Audit;

namespace Ruum.Identity.Features.Lockout;

/// <summary>Which per-network budget a page's posts draw on.</summary>
internal enum RateLimitBudget
{
    /// <summary>Posts that judge a password: signing in, re-authenticating, and changing the password (it checks the current one).</summary>
    Login,

    /// <summary>Posts that judge or send a second-factor code (verify, resend, recovery).</summary>
    Code,
}

/// <summary>Endpoint metadata: a POST to this endpoint counts toward <paramref name="Budget"/> of the client's network.</summary>
internal sealed record RateLimitedPosts(RateLimitBudget Budget);

/// <summary>
/// Password and code posts per client network (fixed windows counted in the database: every instance shares one
/// budget, in front of the per-account counters). Over the limit: 429 with <c>Retry-After</c> (RFC 6585 §4).
/// </summary>
internal static class RequestRateLimits
{
    public static IServiceCollection AddRuumRequestRateLimits(this IServiceCollection services)
    {
        services.AddScoped<RateLimitCounters>();
        services.AddScoped<IRetentionSweep, ExpiredRateLimitWindows>();
        services.Configure<RazorPagesOptions>(pages =>
        {
            // Attached to the page's endpoint, not to a path string: every spelling that routes to the page
            // (/account/login/, /Account/Login, ...) is counted.
            LimitPosts(pages, "/Login/Login", RateLimitBudget.Login);
            LimitPosts(pages, "/Password/ChangePassword", RateLimitBudget.Login);
            LimitPosts(pages, "/Login/Reauthenticate", RateLimitBudget.Login);
            LimitPosts(pages, "/Otp/Otp", RateLimitBudget.Code);
            LimitPosts(pages, "/Otp/Recovery", RateLimitBudget.Code);
            LimitPosts(pages, "/Recovery/ForgotPassword", RateLimitBudget.Login);
            LimitPosts(pages, "/Recovery/ResetPassword", RateLimitBudget.Code);
        });
        return services;
    }

    /// <summary>After routing (the endpoint is known) and the forwarded headers (the client IP is known).</summary>
    public static IApplicationBuilder UseRuumRequestRateLimits(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestRateLimitMiddleware>();

    private static void LimitPosts(RazorPagesOptions pages, string pageName, RateLimitBudget budget) =>
        pages.Conventions.AddPageApplicationModelConvention(pageName,
            (PageApplicationModel page) => page.EndpointMetadata.Add(new RateLimitedPosts(budget)));
}
