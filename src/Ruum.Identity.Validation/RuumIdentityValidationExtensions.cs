using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using OpenIddict.Validation.SystemNetHttp;

namespace Ruum.Identity.Validation;

/// <summary>The one call a Ruum API makes to accept Ruum Identity's access tokens.</summary>
public static class RuumIdentityValidationExtensions
{
    /// <summary>
    /// Validates bearer access tokens offline: signature against the keys published in JWKS (cached, refreshed on an
    /// unknown <c>kid</c>), issuer, audience, <c>typ: at+jwt</c> and lifetime. No call to the server per request.
    /// A bad or missing token is 401 with <c>WWW-Authenticate</c>; a failed policy is 403 with a problem+json body.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddRuumIdentityValidation(o =>
    /// {
    ///     o.Authority = new Uri("https://id.ruum.es/");
    ///     o.Audience = "ruum-api";
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddRuumIdentityValidation(this IServiceCollection services, Action<RuumIdentityValidationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<RuumIdentityValidationOptions>().Configure(configure)
            .Validate(o => o.Authority is { IsAbsoluteUri: true }, "Ruum Identity validation needs an absolute Authority.")
            .Validate(o => o.Authority is null || o.Authority.Scheme == Uri.UriSchemeHttps || o.AllowHttpAuthority,
                "The Authority must use https (AllowHttpAuthority is for local development and tests only).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Audience), "Ruum Identity validation needs an Audience (e.g. ruum-api).")
            .Validate(o => o.KeyRefreshInterval > TimeSpan.Zero && o.UnknownKeyRefreshInterval >= TimeSpan.Zero,
                "Key refresh intervals cannot be negative.")
            .Validate(o => o.ValidatedTokenCacheSize >= 0, "ValidatedTokenCacheSize cannot be negative.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKeyCache>();
        services.AddSingleton<UnknownKeyRefresh>();
        services.AddSingleton<RejectTokensNotYetValid>();
        services.AddSingleton<ValidatedTokenCache>();
        services.AddSingleton<ValidatedTokenCache.Reuse>();
        services.AddSingleton<ValidatedTokenCache.Capture>();
        services.AddSingleton<ValidatedTokenCache.Remember>();
        services.AddSingleton<IConfigureOptions<OpenIddictValidationOptions>, ConfigureOpenIddictValidation>();

        services.AddOpenIddict().AddValidation(validation =>
        {
            // No retries with back-off: a refresh that fails keeps the cached keys and is tried again later,
            // and a request waiting for an unknown key should fail fast rather than hang while the server is down.
            validation.UseSystemNetHttp()
                .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(10));
            validation.UseAspNetCore();
            validation.AddEventHandler(UnknownKeyRefresh.Descriptor);
            validation.AddEventHandler(RejectTokensNotYetValid.Descriptor);
            foreach (var descriptor in ValidatedTokenCache.Descriptors)
            {
                validation.AddEventHandler(descriptor);
            }
        });

        services.Configure<OpenIddictValidationSystemNetHttpOptions>(http =>
        {
            http.HttpErrorPolicy = null;
            http.HttpResiliencePipeline = null;
        });

        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        services.AddAuthorization();
        services.AddProblemDetails();
        services.AddSingleton<IAuthorizationHandler, RuumRequirementsHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAsProblemDetails>();
        return services;
    }

    /// <summary>Issuer and audience from our options, and our key cache instead of OpenIddict's default configuration manager.</summary>
    private sealed class ConfigureOpenIddictValidation(IOptions<RuumIdentityValidationOptions> ruum, SigningKeyCache cache)
        : IConfigureOptions<OpenIddictValidationOptions>
    {
        public void Configure(OpenIddictValidationOptions options)
        {
            options.Issuer = ruum.Value.Authority;
            options.ConfigurationEndpoint = SigningKeyCache.DiscoveryAddress(ruum.Value);
            options.ConfigurationManager = cache;
            options.Audiences.Add(ruum.Value.Audience);
        }
    }
}
