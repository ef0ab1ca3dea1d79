using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A spent authorization code or refresh token redeemed again at the token endpoint ends its family
/// (<see cref="TokenReuse"/>) before OpenIddict refuses it. Presented at introspection or revocation it is only
/// inactive, not a replay (no redemption was attempted): it is refused here, before OpenIddict's own check would
/// revoke every token of its authorization.
/// </summary>
internal sealed class RevokeAuthorizationOnReplay(IOpenIddictTokenManager tokens, TokenReuse reuse)
    : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<RevokeAuthorizationOnReplay>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal is null || !principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode)
            && !principal.HasTokenType(TokenTypeIdentifiers.RefreshToken))
        {
            return;
        }
        // The token manager caches the entry for the request, so OpenIddict's own check that follows reads no row again.
        var identifier = context.TokenId ?? principal.GetTokenId();
        var token = string.IsNullOrEmpty(identifier) ? null : await tokens.FindByIdAsync(identifier, context.CancellationToken);
        if (token is null || !await tokens.HasStatusAsync(token, Statuses.Redeemed, context.CancellationToken))
        {
            return;
        }
        if (context.EndpointType is not OpenIddictServerEndpointType.Token)
        {
            context.Reject(Errors.InvalidToken, "The specified token has already been redeemed.");
            return;
        }
        await reuse.EndFamilyAsync(token, context.Request?.ClientId, context.CancellationToken);
    }
}
