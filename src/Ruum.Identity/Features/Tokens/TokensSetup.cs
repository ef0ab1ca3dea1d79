using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using Ruum.Identity.Features.Audit;
using Ruum.Identity.Features.Clients;
using Ruum.Identity.Features.Sessions;
using Ruum.Identity.Features.Tenancy;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

public static class TokensSetup
{
    /// <summary>OpenIddict does the protocol; we decide who the user is and which claims they get.</summary>
    public static WebApplicationBuilder AddRuumTokens(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TokenOptions>().Bind(builder.Configuration.GetSection(TokenOptions.Section)).ValidateOnStart();
        services.AddOptions<SigningOptions>().Bind(builder.Configuration.GetSection(SigningOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<ServerCredentials>();
        services.AddSingleton<SigningKeyRing>();
        services.AddScoped<SigningKeyStore>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureServerFromRuumOptions>();
        // Build the server options (and so load the keys) at start-up: a missing key stops the process, not a request.
        services.AddOptions<OpenIddictServerOptions>().ValidateOnStart();
        services.AddScoped<UserPrincipalFactory>();
        services.AddScoped<AccessTokenCutoffs>();
        services.AddSingleton<RevocationQueries>();
        services.AddScoped<TokenReuse>();
        services.AddOptions<PruningOptions>().Bind(builder.Configuration.GetSection(PruningOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IRetentionSweep, PruneSpentTokens>();
        services.AddSingleton<RedeemRefreshTokenOnce.NotARefreshTokenRequest>();
        services.AddRuumClientSecrets(builder.Configuration);

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<RuumDbContext>();
                core.ReplaceTokenStore<OpenIddictEntityFrameworkCoreToken, TimeOrderedTokenStore>();
                core.ReplaceAuthorizationStore<OpenIddictEntityFrameworkCoreAuthorization, TimeOrderedAuthorizationStore>();
                core.ReplaceApplicationManager(typeof(RuumApplicationManager<>));
                core.ReplaceTokenManager(typeof(SessionTaggingTokenManager<>));
                core.ReplaceScopeManager(typeof(RuumScopeManager<>));
            })
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/endsession");

                server.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .RequireProofKeyForCodeExchange();

                // RFC 9700 §2.1.1: only S256; "plain" offers no protection once the challenge leaks.
                server.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, RuumScopes.Api, RuumScopes.Permissions);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.Email, Claims.EmailVerified,
                    Claims.AuthenticationMethodReference, Claims.AuthenticationContextReference, Claims.AuthenticationTime, Claims.Role,
                    TenancyClaimTypes.CompanyId, TenancyClaimTypes.CompanyRole, TenancyClaimTypes.ProjectRoles, TenancyClaimTypes.Permissions);
                server.AddEventHandler(AdvertiseAcrValues.Descriptor);

                // Any reuse of a spent refresh token fails and revokes its whole family (RFC 9700 §4.14.2).
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                // A rolled refresh token keeps the expiry of the one it replaces, so a family ends RefreshTokenLifetime
                // after the code exchange that began it, however often it is used (RFC 9700 §4.14, ASVS V10.4.8).
                server.DisableSlidingRefreshTokenExpiration();

                // Resource servers validate plain signed JWTs from JWKS with any standard library.
                server.DisableAccessTokenEncryption();
                server.AddEventHandler(SkipAccessTokenStorage.Descriptor);
                server.RemoveEventHandler(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor)
                    .AddEventHandler(CachedSigningKeys.Descriptor);
                server.AddEventHandler(SignServerOnlyTokensWithHmac.Descriptor);
                server.AddEventHandler(ValidateWithCurrentSigningKeys.Descriptor);
                server.AddEventHandler(RejectAccessTokensBeforeCutoff.Descriptor);
                server.AddEventHandler(RejectUserInfoWithoutOpenIdScope.Descriptor);
                server.AddEventHandler(RevokeAuthorizationOnReplay.Descriptor);
                server.AddEventHandler(RedeemRefreshTokenOnce.Descriptor);
                server.AddEventHandler(BeginTokenIssuanceTransaction.Descriptor);
                server.AddEventHandler(CommitTokenIssuanceTransaction.Descriptor);
                server.AddEventHandler(RecordRevocation.Descriptor);
                server.Configure(RedeemRefreshTokenOnce.ReplaceOpenIddictRedemption);
                server.AddEventHandler(RejectRepeatedParameters<ValidateTokenRequestContext>.Descriptor);
                server.AddEventHandler(RejectRepeatedParameters<ValidateIntrospectionRequestContext>.Descriptor);
                server.AddEventHandler(RejectRepeatedParameters<ValidateRevocationRequestContext>.Descriptor);
                server.AddEventHandler(RejectRepeatedParameters<ValidateAuthorizationRequestContext>.Descriptor);
                server.AddEventHandler(RejectRepeatedParameters<ValidateEndSessionRequestContext>.Descriptor);
                server.AddEventHandler(RejectMalformedCodeChallenge.Descriptor);
                server.AddEventHandler(RejectMalformedCodeVerifier.Descriptor);
                server.AddEventHandler(RejectUnreadableFormCharset<ExtractTokenRequestContext>.Descriptor);
                server.AddEventHandler(RejectUnreadableFormCharset<ExtractIntrospectionRequestContext>.Descriptor);
                server.AddEventHandler(RejectUnreadableFormCharset<ExtractRevocationRequestContext>.Descriptor);
                server.AddEventHandler(RejectUnreadableFormCharset<ExtractAuthorizationRequestContext>.Descriptor);
                server.AddEventHandler(RejectUnreadableFormCharset<ExtractEndSessionRequestContext>.Descriptor);
                server.AddEventHandler(RejectUnreadableFormCharset<ExtractUserInfoRequestContext>.Descriptor);
                server.AddEventHandler(RejectConflictingClientIds<ValidateTokenRequestContext>.Descriptor);
                server.AddEventHandler(RejectConflictingClientIds<ValidateIntrospectionRequestContext>.Descriptor);
                server.AddEventHandler(RejectConflictingClientIds<ValidateRevocationRequestContext>.Descriptor);
                server.AddEventHandler(RefuseClientsOverFailureLimit<ValidateTokenRequestContext>.Descriptor);
                server.AddEventHandler(RefuseClientsOverFailureLimit<ValidateIntrospectionRequestContext>.Descriptor);
                server.AddEventHandler(CountFailedClientAuthentication.Descriptor);

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
                if (builder.Environment.IsDevelopment())
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        // No OpenIddict validation stack here: the server's own endpoints (userinfo, introspection, revocation)
        // validate their tokens, and its handler would otherwise run on every request as an authentication request
        // handler. Resource APIs validate with Ruum.Identity.Validation.
        services.AddSingleton(new ServerHandlerIndex.Singletons(services));
        services.AddSingleton<ServerHandlerIndex>();
        services.Replace(ServiceDescriptor.Scoped<IOpenIddictServerDispatcher, IndexedServerDispatcher>());
        return builder;
    }

    /// <summary>Before authentication, where OpenIddict's server handler takes every protocol request.</summary>
    public static WebApplication UseRuumClientCredentialsFastPath(this WebApplication app)
    {
        app.UseMiddleware<ClientCredentialsFastPath>();
        return app;
    }

    public static WebApplication MapRuumConnectEndpoints(this WebApplication app)
    {
        app.MapAuthorizationEndpoint();
        app.MapTokenEndpoint();
        app.MapUserInfoEndpoint();
        app.MapEndSessionEndpoint();
        return app;
    }

    /// <summary>Keys, lifetimes and issuer come from our options, so tests and Production configure them like any setting.</summary>
    private sealed class ConfigureServerFromRuumOptions(IOptions<TokenOptions> tokens, ServerCredentials credentials)
        : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            var settings = tokens.Value;
            options.Issuer = settings.Issuer;
            options.AuthorizationCodeLifetime = settings.AuthorizationCodeLifetime;
            options.AccessTokenLifetime = settings.AccessTokenLifetime;
            options.IdentityTokenLifetime = settings.IdentityTokenLifetime;
            options.RefreshTokenLifetime = settings.RefreshTokenLifetime;

            options.SigningCredentials.AddRange(credentials.ForOptions);
            options.SigningCredentials.AddRange(credentials.ServerOnlyKeys);
            // OpenIddict encrypts with the first and decrypts with all (its sort keeps symmetric keys in this order).
            options.EncryptionCredentials.AddRange(credentials.Encryption);
        }
    }
}

public static class RuumScopes
{
    /// <summary>Access to Ruum's APIs; its resource (the access token's audience) is <see cref="ApiAudience"/>.</summary>
    public const string Api = "ruum.api";
    public const string ApiAudience = "ruum-api";

    /// <summary>Adds the <c>permissions</c> claim (the active company role's and platform roles' permissions) to the tokens.</summary>
    public const string Permissions = "ruum.permissions";
}
