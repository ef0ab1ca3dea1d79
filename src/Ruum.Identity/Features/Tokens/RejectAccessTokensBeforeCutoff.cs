using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Ruum.Identity.Features.Tokens;

/// <summary>
/// Introspection (and userinfo) refuse an access token issued before its user's or client's cutoff, or under an
/// authorization that was revoked (a user's tokens carry its id). <c>iat</c> has whole seconds, so a token issued
/// in the same second as the cutoff is refused too: fail closed.
/// </summary>
internal sealed class RejectAccessTokensBeforeCutoff(AccessTokenCutoffs cutoffs)
    : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<RejectAccessTokensBeforeCutoff>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateExpirationDate.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal is null || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
        {
            return;
        }
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (await cutoffs.IsRevokedAsync(principal.GetClaim(Claims.Subject), clientId, principal.GetAuthorizationId(),
                principal.GetCreationDate(), context.CancellationToken))
        {
            context.Reject(Errors.InvalidToken, "The access token has been revoked.");
        }
    }
}
