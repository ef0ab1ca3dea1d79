using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A spent authorization code or refresh token presented again ends its family (<see cref="TokenReuse"/>) before
/// OpenIddict refuses it.
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
        await reuse.EndFamilyAsync(token, context.Request?.ClientId, context.CancellationToken);
    }
}
