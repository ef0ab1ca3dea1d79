using Ruum.Identity.SampleApi.Projects;
using Ruum.Identity.Validation;

namespace Ruum.Identity.SampleApi;

/// <summary>A small projects API protected only through Ruum.Identity.Validation: the token contract, shown and tested.</summary>
public static class SampleApiHost
{
    /// <param name="configure">Lets tests replace services (clock, data) before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var ruum = builder.Configuration.GetSection("Ruum");
        builder.Services.AddRuumIdentityValidation(o =>
        {
            o.Authority = ruum.GetValue<Uri>("Authority");
            o.Audience = "ruum-api";
            o.AllowHttpAuthority = ruum.GetValue<bool>("AllowHttpAuthority");
            o.ValidatedTokenCacheSize = ruum.GetValue("ValidatedTokenCacheSize", o.ValidatedTokenCacheSize);
        });
        builder.Services.AddSingleton<ProjectStore>();
        // Browser apps call the API from their own origin with the token in the Authorization header, never a cookie.
        var browserOrigins = ruum.GetSection("CorsOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins(browserOrigins)
            .WithMethods(HttpMethods.Get, HttpMethods.Put).WithHeaders("Authorization", "Content-Type")));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (browserOrigins.Length > 0)
        {
            app.UseCors(); // before authentication: a preflight carries no token
        }
        app.UseAuthentication();
        app.UseAuthorization();
        // Anonymous, for load balancers; a bearer token sent here is still validated (authentication runs on every
        // request), which makes it the benchmark's like-for-like measure of the validation package's cost.
        app.MapGet("health", () => TypedResults.NoContent()).AllowAnonymous();
        app.MapProjects();
        return app;
    }
}
