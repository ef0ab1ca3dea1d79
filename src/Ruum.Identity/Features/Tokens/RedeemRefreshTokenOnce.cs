using OpenIddict.Abstractions;
using OpenIddict.Server;
using Ruum.Identity.Infrastructure.Database;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A refresh token is spent once, also when two requests present it at the same moment. OpenIddict marks it redeemed
/// just before issuing the new tokens but ignores a failed mark for refresh tokens (it allows concurrent requests
/// within a reuse leeway), so two requests that both read the token before either marked it both got new tokens.
/// Our leeway is zero: the request that loses the race to mark it is a reuse (RFC 9700 §4.14.2), so it fails and
/// the whole family is ended, as for a token presented after it was spent (<see cref="TokenReuse"/>).
/// OpenIddict's own redemption (<see cref="OtherGrantsRedemption"/>) keeps authorization codes; marking the token a
/// second time would cost a second UPDATE.
/// </summary>
internal sealed class RedeemRefreshTokenOnce(IOpenIddictTokenManager tokens, TokenReuse reuse, RuumDbContext db)
    : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .UseScopedHandler<RedeemRefreshTokenOnce>()
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>OpenIddict's redemption handler, for every grant but the refresh tokens this one redeems.</summary>
    public static OpenIddictServerHandlerDescriptor OtherGrantsRedemption { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .Import(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor)
            .AddFilter<NotARefreshTokenRequest>()
            .Build();

    /// <summary>
    /// Puts <see cref="OtherGrantsRedemption"/> in the place of OpenIddict's handler (same service, one filter more):
    /// removing OpenIddict's and adding ours would drop both, as they share the handler type.
    /// </summary>
    public static void ReplaceOpenIddictRedemption(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var index = options.Handlers.IndexOf(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);
        if (index < 0)
        {
            throw new InvalidOperationException(
                "OpenIddict no longer registers RedeemTokenEntry: check how this version redeems refresh tokens before upgrading.");
        }
        options.Handlers[index] = OtherGrantsRedemption;
    }

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsRefreshTokenRequest(context) || context.Options.DisableRollingRefreshTokens)
        {
            return;
        }
        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!);
        var identifier = authentication?.RefreshTokenPrincipal?.GetTokenId();
        var token = string.IsNullOrEmpty(identifier) ? null : await tokens.FindByIdAsync(identifier, context.CancellationToken);
        if (token is null || await tokens.TryRedeemAsync(token, context.CancellationToken))
        {
            return;
        }

        // The failed mark still locks the token's row in this request's transaction (BeginTokenIssuanceTransaction),
        // which has written nothing else: end it first. Revoking the family while holding that lock waited for rows a
        // concurrent replay had locked while it waited for this one (a deadlock PostgreSQL broke with a 503).
        await BeginTokenIssuanceTransaction.AbandonAsync(db);
        await reuse.EndFamilyAsync(token, context.Request.ClientId, context.CancellationToken);
        context.Reject(Errors.InvalidGrant, "The specified refresh token has already been redeemed.");
    }

    private static bool IsRefreshTokenRequest(ProcessSignInContext context) =>
        context.EndpointType is OpenIddictServerEndpointType.Token && context.Request.IsRefreshTokenGrantType();

    internal sealed class NotARefreshTokenRequest : IOpenIddictServerHandlerFilter<ProcessSignInContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessSignInContext context) => new(!IsRefreshTokenRequest(context));
    }
}
