using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Ruum.Identity.Features.Cors;

/// <summary>
/// Browser apps (public clients) call discovery, JWKS, token, revocation and userinfo from their own origin, so
/// those endpoints answer CORS requests from the origins of public clients' redirect URIs, through ASP.NET Core's
/// CORS middleware. Every other endpoint (authorization, end session, introspection, pages) is reached by
/// navigation or from servers and gets no CORS headers; so does every other origin.
/// </summary>
public static class CorsSetup
{
    internal const string PolicyName = "PublicClients";

    /// <summary>Chromium's cap; the actual response is still checked against the current origins.</summary>
    internal static readonly TimeSpan PreflightMaxAge = TimeSpan.FromHours(2);

    public static WebApplicationBuilder AddRuumCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddCors();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<PublicClientOrigins>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, PublicClientCorsPolicyProvider>());
        return builder;
    }

    /// <summary>
    /// Before the client-credentials fast path and authentication: OpenIddict answers discovery, JWKS, revocation and
    /// many token requests itself, before endpoint routing, and those answers need the headers too; a preflight
    /// (OPTIONS) must be answered here, since OpenIddict would refuse it as a protocol request.
    /// </summary>
    public static WebApplication UseRuumCors(this WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value;
        var paths = new[]
            {
                server.ConfigurationEndpointUris, server.JsonWebKeySetEndpointUris, server.TokenEndpointUris,
                server.RevocationEndpointUris, server.UserInfoEndpointUris,
            }
            .SelectMany(uris => uris)
            .Select(uri => new PathString("/" + uri.OriginalString.TrimStart('/')))
            .ToArray();
        app.UseWhen(context => paths.Any(path => context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)),
            browserCallable => browserCallable.UseCors(PolicyName));
        return app;
    }

    /// <summary>The middleware asks for the policy per cross-origin request; the origins come from a short cache.</summary>
    private sealed class PublicClientCorsPolicyProvider(PublicClientOrigins origins) : ICorsPolicyProvider
    {
        public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
        {
            if (policyName != PolicyName)
            {
                return null;
            }
            var allowed = await origins.GetAsync(context.RequestAborted);
            // No AllowCredentials: apps send tokens, never cookies, so a response is never read with the user's
            // cookies. A custom origin check also makes the middleware send Vary: Origin.
            return new CorsPolicyBuilder()
                .SetIsOriginAllowed(allowed.Contains)
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Authorization", "Content-Type")
                .WithExposedHeaders("WWW-Authenticate") // userinfo's error (RFC 6750 §3)
                .SetPreflightMaxAge(PreflightMaxAge)
                .Build();
        }
    }
}
