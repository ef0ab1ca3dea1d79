using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// A spent authorization code or refresh token presented again means it leaked (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
/// OpenIddict then revokes every token row of the authorization; stateless access tokens have no row, so the
/// authorization itself is revoked too, which makes introspection refuse the access tokens issued under it.
/// The user's next sign-in creates a new authorization.
/// </summary>
internal sealed class RevokeAuthorizationOnReplay(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
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
        await RevokeAuthorizationAsync(authorizations, await tokens.GetAuthorizationIdAsync(token, context.CancellationToken),
            context.CancellationToken);
    }

    internal static async ValueTask RevokeAuthorizationAsync(IOpenIddictAuthorizationManager authorizations, string? authorizationId,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(authorizationId) && await authorizations.FindByIdAsync(authorizationId, cancellationToken) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }
    }
}
